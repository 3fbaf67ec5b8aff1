package io.streamlstm.detect;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The detector's settings. The stream builds one with {@link #defaults()} and overrides fields from
 * properties named {@code detector.<field>} ({@link #fromProperties}).
 *
 * @param warmUpReadings readings per sensor scored 0 and flagged as warming up while the recurrent state
 *     and the statistics settle
 * @param anomalyThreshold likelihood at or above which a reading is flagged as an anomaly
 * @param bandSigmas k of the expected band μ ± kσ
 * @param replayReadings raw readings kept per sensor (as floats) to re-warm h and C after a model switch;
 *     16 by default, 64 bytes a channel of the state's budget
 * @param shortHalfLife half-life, in readings, of the short average of the level
 *     (HTM: a 10-reading mean)
 * @param adaptHalfLife half-life, in readings, of an episode: of the recent peak of evidence (for about this
 *     long, a reading no more surprising than one before it is not news: one alarm per episode) and of the
 *     episode-scale average of the level
 * @param historyHalfLife half-life, in readings, of the history each surprise is judged against, and of the
 *     mean and spread the level is measured against: how quickly a lasting change (a new level, new noise)
 *     stops looking anomalous; at most 10,000, which the state's 16-bit histogram counts still resolve
 * @param combination how the tail probabilities of several channels become one
 * @param clockSetBackReadings a sensor whose clock was set back for good: the n-th reading in a row that is
 *     earlier than the sensor's last accepted one, each at or after the one before it, is accepted, and the
 *     sensor goes on from its new clock; the n - 1 before it are refused as {@code TIME_BACKWARDS}. 0: never
 * @param evidencesOff evidences that never judge a reading, named by the reason they give ({@link
 *     AnomalyLikelihood#EVIDENCE_REASONS}): for a fleet whose sensors have no daily routine, say, {@code ROUTINE}.
 *     Each still keeps its statistics, so switching it back on judges from current ones. None by default; at least
 *     one of the ranked evidences must stay on
 */
public record DetectorConfig(
    int warmUpReadings,
    double anomalyThreshold,
    double bandSigmas,
    int replayReadings,
    double shortHalfLife,
    double adaptHalfLife,
    double historyHalfLife,
    Combination combination,
    int clockSetBackReadings,
    Set<Explanation.Reason> evidencesOff) {

  /** Ways to combine per-channel tail probabilities p_c into one. */
  public enum Combination {
    /** The most surprising channel, Šidák-corrected for the number of channels: 1 - (1 - min p)^K. */
    MAX,
    /** Fisher's method: -2 Σ ln p_c is χ² with 2K degrees of freedom when no channel is anomalous. */
    FISHER
  }

  public DetectorConfig {
    require(warmUpReadings >= 0, "warmUpReadings must be >= 0, got " + warmUpReadings);
    require(anomalyThreshold > 0 && anomalyThreshold <= 1,
        "anomalyThreshold must be in (0, 1], got " + anomalyThreshold);
    require(bandSigmas > 0, "bandSigmas must be > 0, got " + bandSigmas);
    require(replayReadings >= 0 && replayReadings <= 255, "replayReadings must be 0..255, got " + replayReadings);
    require(shortHalfLife > 0, "shortHalfLife must be > 0, got " + shortHalfLife);
    require(adaptHalfLife >= shortHalfLife, "adaptHalfLife must be >= shortHalfLife, got " + adaptHalfLife);
    require(historyHalfLife >= adaptHalfLife && historyHalfLife <= EmpiricalTail.MAX_HALF_LIFE,
        "historyHalfLife must be >= adaptHalfLife and <= " + EmpiricalTail.MAX_HALF_LIFE + ", got " + historyHalfLife);
    require(combination != null, "combination is required");
    require(clockSetBackReadings >= 0, "clockSetBackReadings must be >= 0, got " + clockSetBackReadings);
    require(evidencesOff != null, "evidencesOff is required (empty for none)");
    require(AnomalyLikelihood.EVIDENCE_REASONS.containsAll(evidencesOff),
        "evidencesOff must name evidences " + AnomalyLikelihood.EVIDENCE_REASONS + ", got " + evidencesOff);
    require(!evidencesOff.containsAll(AnomalyLikelihood.RANKED_REASONS),
        "evidencesOff must leave one of " + AnomalyLikelihood.RANKED_REASONS + " on");
    evidencesOff = evidencesOff.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(evidencesOff));
  }

  /** The contract's first three settings; the rest at their defaults. */
  public DetectorConfig(int warmUpReadings, double anomalyThreshold, double bandSigmas) {
    this(warmUpReadings, anomalyThreshold, bandSigmas, 16, 3, 100, 2000, Combination.MAX, 10, Set.of());
  }

  public static DetectorConfig defaults() {
    return new DetectorConfig(100, 0.998, 3.0);
  }

  /**
   * The defaults overridden by every {@code detector.<field>} key of {@code properties}; other keys are
   * ignored.
   *
   * @throws IllegalArgumentException naming the key for an unknown field or a bad value
   */
  public static DetectorConfig fromProperties(Map<String, String> properties) {
    DetectorConfig d = defaults();
    Map<String, String> set = new HashMap<>();
    for (Map.Entry<String, String> e : properties.entrySet()) {
      if (!e.getKey().startsWith(PREFIX)) continue;
      String field = e.getKey().substring(PREFIX.length());
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException("unknown setting " + e.getKey() + " (known: detector." + String.join(
            ", detector.", FIELDS) + ")");
      }
      set.put(field, e.getValue().strip());
    }
    return new DetectorConfig(
        get(set, "warmUpReadings", Integer::parseInt, d.warmUpReadings),
        get(set, "anomalyThreshold", Double::parseDouble, d.anomalyThreshold),
        get(set, "bandSigmas", Double::parseDouble, d.bandSigmas),
        get(set, "replayReadings", Integer::parseInt, d.replayReadings),
        get(set, "shortHalfLife", Double::parseDouble, d.shortHalfLife),
        get(set, "adaptHalfLife", Double::parseDouble, d.adaptHalfLife),
        get(set, "historyHalfLife", Double::parseDouble, d.historyHalfLife),
        get(set, "combination", s -> Combination.valueOf(s.toUpperCase(Locale.ROOT)), d.combination),
        get(set, "clockSetBackReadings", Integer::parseInt, d.clockSetBackReadings),
        get(set, "evidencesOff", DetectorConfig::reasons, d.evidencesOff));
  }

  /** "ROUTINE, stuck" → {ROUTINE, STUCK}; blank → none. */
  private static Set<Explanation.Reason> reasons(String text) {
    if (text.isBlank()) return Set.of();
    return Set.copyOf(Arrays.stream(text.split(","))
        .map(name -> Explanation.Reason.valueOf(name.strip().toUpperCase(Locale.ROOT))).toList());
  }

  /** The defaults overridden by {@code fields}, named without the prefix (a command's {@code -D field=value}). */
  public static DetectorConfig fromFields(Map<String, String> fields) {
    Map<String, String> properties = new HashMap<>();
    fields.forEach((field, value) -> properties.put(PREFIX + field, value));
    return fromProperties(properties);
  }

  private static final String PREFIX = "detector.";
  private static final List<String> FIELDS = List.of(
      "warmUpReadings", "anomalyThreshold", "bandSigmas", "replayReadings", "shortHalfLife",
      "adaptHalfLife", "historyHalfLife", "combination", "clockSetBackReadings", "evidencesOff");

  private static <T> T get(Map<String, String> set, String field, Function<String, T> parse, T fallback) {
    String text = set.get(field);
    if (text == null) return fallback;
    try {
      return parse.apply(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad value for detector." + field + ": '" + text + "'");
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) throw new IllegalArgumentException(message);
  }
}
