package io.streamlstm.detect;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.math3.special.Gamma;

/**
 * Turns one channel's readings and forecast errors into the probability that the reading is normal for this
 * sensor. After HTM's anomaly likelihood, the evidence is judged against the sensor's own history of it rather
 * than in absolute terms; what differs:
 * <ul>
 *   <li>the history is the sensor's whole recent distribution of each surprise ({@link EmpiricalTail}), not a
 *       fitted Gaussian: errors are heavy-tailed and differ in shape from sensor to sensor (a square wave errs
 *       big at every edge, a flat line never), and a Gaussian's tail then over- or under-states some, so one
 *       threshold means different things on each. Ranked against its own past, the same tail probability means
 *       the same rarity on every sensor;</li>
 *   <li>several {@link Evidence}s are judged, each a named part with its own statistics: the forecast's error
 *       ({@link SuddenError}), the level against the sensor's history over a short and an episode's half-life
 *       ({@link Level}), the value against its usual value at this time of day ({@link Routine}), and the network's
 *       memory against the places this sensor's memory visits ({@link Memory}). The smallest tail counts,
 *       Bonferroni-corrected for their number. On a reading within the forecast's band the routine is weak
 *       evidence: its tail is floored just under the alarm level, so it alarms but never outranks the others;</li>
 *   <li>a sensor stuck at one value ({@link Stuck}) is judged apart, by a model of its repeats rather than a rank,
 *       and counted in the correction only on the readings where it tests;</li>
 *   <li>an episode is reported once: a tail no more extreme than the recent peak is damped.</li>
 * </ul>
 * An evidence named in {@link DetectorConfig#evidencesOff()} still keeps its statistics but never judges, and the
 * correction counts only the evidences that do.
 * All statistics forget with half-lives in readings (the routine's in days), so a lasting change becomes normal.
 *
 * <p>Per channel c, {@link #STATS} floats at {@code stats[c·STATS..]}: the recent peak evidence, the age of the
 * histograms ({@link EmpiricalTail}), the mean (relative to the channel's origin) and variance of the sensor's
 * history that the levels are measured against, then each evidence's own slice in the order of {@link
 * #evidences}, then the stuck run's; and {@link #HISTOGRAMS} 16-bit counts at {@code histograms[c·HISTOGRAMS..]},
 * one histogram of {@link EmpiricalTail#BINS} per evidence in the same order. All held as narrow as the sensor state
 * stores them (narrowed here, at each update).
 *
 * <p>Not thread-safe (holds a reading's surprises as scratch): one per {@link Detector}.
 */
public final class AnomalyLikelihood {

  static final int RECENT_PEAK = 0;
  static final int HISTORY_AGE = 1;
  static final int HISTORY_MEAN = 2;
  static final int HISTORY_VARIANCE = 3;
  // Where each evidence's slice starts, in the order of evidences.
  static final int SUDDEN_ERROR = HISTORY_VARIANCE + 1;
  static final int LEVEL = SUDDEN_ERROR + SuddenError.SIZE;
  static final int ROUTINE = LEVEL + Level.SIZE;
  static final int LASTING_DEPARTURE = ROUTINE + Routine.SIZE;
  static final int MEMORY = LASTING_DEPARTURE + Level.SIZE;
  static final int STUCK = MEMORY + Memory.SIZE;
  /** Per channel: the shared floats and every evidence's slice. */
  public static final int STATS = STUCK + Stuck.SIZE;
  static final int EVIDENCES = 5;
  /** The memory's histogram among a channel's, as it is among the evidences. */
  static final int MEMORY_HISTOGRAM = 4;
  public static final int HISTOGRAMS = EVIDENCES * EmpiricalTail.BINS;
  /** The reasons the ranked evidences give, one each. */
  public static final Set<Explanation.Reason> RANKED_REASONS = Collections.unmodifiableSet(EnumSet.of(
      Explanation.Reason.SUDDEN_ERROR, Explanation.Reason.LEVEL, Explanation.Reason.ROUTINE,
      Explanation.Reason.LASTING_DEPARTURE, Explanation.Reason.MEMORY));
  /** Every evidence's reason: the ranked ones and {@link Stuck}'s. */
  public static final Set<Explanation.Reason> EVIDENCE_REASONS = Collections.unmodifiableSet(EnumSet.of(
      Explanation.Reason.STUCK, RANKED_REASONS.toArray(new Explanation.Reason[0])));

  /** Tail probabilities below this are reported as it, so -ln p stays finite for the channel shares. */
  static final double MIN_TAIL = Double.MIN_NORMAL;

  /** The evidences judged, in the order their statistics and histograms lie in a channel's state. */
  private final Evidence[] evidences;
  private final int[] statsAt;
  private final Stuck stuck;
  private final EmpiricalTail history;
  private final double historyAlpha;
  private final double peakKeep;
  private final double bandSigmas;
  private final int warmUpReadings;
  private final DetectorConfig.Combination combination;
  private final boolean[] off = new boolean[EVIDENCES];
  private final boolean stuckOff;
  /** Ranked evidences that judge: the Bonferroni factor, before {@link Stuck}'s test adds one. */
  private final int rankedTests;
  /** Evidences that do not outrank within the forecast's band ({@link Evidence#outranksWithinForecastBand()}). */
  private final boolean[] weak = new boolean[EVIDENCES];
  /** Within the forecast's band, the tail of a weak evidence is at least this. */
  private final double weakFloor;
  // Scratch: the reading as the evidences see it, their surprises and findings, and what decided (read by explain()).
  private final Observation now = new Observation();
  private final double[] surprise = new double[EVIDENCES];
  // One finding per evidence, and the stuck run's last.
  private final Finding[] found = new Finding[EVIDENCES + 1];
  private int deciding;
  private double decidingTail;

  /** @param memorySize floats of the predictor's memory ({@link Predictor#memorySize()}; 0 for none) */
  public AnomalyLikelihood(DetectorConfig config, int memorySize) {
    this.evidences = new Evidence[] {
        new SuddenError(config.historyHalfLife()),
        new Level(Explanation.Reason.LEVEL, config.shortHalfLife()),
        new Routine(config.bandSigmas()),
        new Level(Explanation.Reason.LASTING_DEPARTURE, config.adaptHalfLife()),
        new Memory(memorySize, config.historyHalfLife(), config.warmUpReadings())};
    this.statsAt = new int[] {SUDDEN_ERROR, LEVEL, ROUTINE, LASTING_DEPARTURE, MEMORY};
    for (int k = 0; k < EVIDENCES; k++) {
      int end = k + 1 < EVIDENCES ? statsAt[k + 1] : STUCK;
      if (statsAt[k] + evidences[k].size() != end) throw new IllegalStateException(evidences[k] + " outgrows its slice");
      found[k] = new Finding();
    }
    found[EVIDENCES] = new Finding();
    int on = 0;
    for (int k = 0; k < EVIDENCES; k++) {
      if (!RANKED_REASONS.contains(evidences[k].reason())) throw new IllegalStateException(evidences[k] + " is not named");
      off[k] = config.evidencesOff().contains(evidences[k].reason());
      weak[k] = !evidences[k].outranksWithinForecastBand();
      if (!off[k]) on++;
    }
    this.rankedTests = on;
    this.stuckOff = config.evidencesOff().contains(Explanation.Reason.STUCK);
    // Below this tail a reading alarms even when Stuck tests too; a weak evidence is floored just under it.
    double alarmTail = (1 - config.anomalyThreshold()) / (rankedTests + 1);
    this.weakFloor = Math.max(0.9 * alarmTail, MIN_TAIL);
    this.stuck = new Stuck(config.historyHalfLife(), config.warmUpReadings(), alarmTail);
    this.history = new EmpiricalTail(config.historyHalfLife());
    this.historyAlpha = alpha(config.historyHalfLife());
    this.peakKeep = 1 - alpha(config.adaptHalfLife());
    this.bandSigmas = config.bandSigmas();
    this.warmUpReadings = config.warmUpReadings();
    this.combination = config.combination();
  }

  /** Weight of a new value in an exponential average with this half-life: 1 - 2^(-1/halfLife). */
  static double alpha(double halfLife) {
    return 1 - Math.pow(2, -1 / halfLife);
  }

  /**
   * The tail probability of the {@code n}-th reading (n ≥ 1) of channel {@code c}, from its standardised
   * error {@code error}, its raw {@code value} relative to the channel's origin with the sensor's overall
   * {@code scale} (the normaliser's), its time and the time since the reading before, and the predictor's memory
   * once it has taken the reading in ({@code memory[memoryAt..]}, null without one); each surprise judged against
   * the history before it, then folded in.
   */
  public double update(float[] stats, char[] histograms, int c, double error, double value, double scale,
      long timestampMillis, long gapMillis, long n, float[] memory, int memoryAt) {
    int at = c * STATS;
    now.memory = memory;
    now.memoryAt = memoryAt;
    now.error = error;
    now.value = value;
    now.scale = scale;
    now.timestampMillis = timestampMillis;
    now.gapMillis = gapMillis;
    now.n = n;
    now.historyMean = stats[at + HISTORY_MEAN];
    now.historySpread = Math.max(Math.sqrt(stats[at + HISTORY_VARIANCE]), Routine.RELATIVE_SPREAD_FLOOR * scale);
    now.zHistory = n == 1 ? 0 : (value - now.historyMean) / now.historySpread;
    foldIn(stats, at + HISTORY_MEAN, value, Math.max(1.0 / n, historyAlpha));
    for (int k = 0; k < EVIDENCES; k++) {
      surprise[k] = evidences[k].surprise(now, stats, at + statsAt[k], found[k]);
      if (off[k]) surprise[k] = Double.NaN;
    }
    double minTail = judge(stats, histograms, at, c * HISTOGRAMS, n);
    int tests = rankedTests;
    double stuckTail = stuck.tail(now, stats, at + STUCK, found[EVIDENCES]);
    if (stuckOff) stuckTail = Double.NaN;
    if (!Double.isNaN(stuckTail)) {
      // Counted in the correction only where it tests: on every other reading the five alone are judged.
      tests++;
      if (stuckTail < minTail) {
        minTail = stuckTail;
        deciding = EVIDENCES;
        decidingTail = stuckTail;
      }
    }
    return repeatDamped(stats, at, Math.min(1, tests * minTail));
  }

  /**
   * Starts the memory's places and its history over on every channel: a model of another version remembers in
   * another space ({@link Detector} re-warms h and C for it).
   */
  static void forgetMemory(float[] stats, char[] histograms, int channels) {
    for (int c = 0; c < channels; c++) {
      Memory.forget(stats, c * STATS + MEMORY);
      int from = c * HISTOGRAMS + MEMORY_HISTOGRAM * EmpiricalTail.BINS;
      Arrays.fill(histograms, from, from + EmpiricalTail.BINS, (char) 0);
    }
  }

  /**
   * What decided the last {@link #update}: its evidence, deviation and reference. The forecast's reference is its
   * band, which only the caller knows ({@code expected}, {@code lower}, {@code upper}); the others' are relative to
   * the channel's origin and {@code bandSigmas} spreads wide.
   */
  Explanation explain(String channel, double origin, double expected, double lower, double upper) {
    if (decidingTail >= Explanation.UNUSUAL_TAIL) {
      return new Explanation(Explanation.Reason.NONE, channel, 0, expected, lower, upper);
    }
    Finding f = found[deciding];
    Explanation.Reason reason = deciding < EVIDENCES ? evidences[deciding].reason() : Explanation.Reason.STUCK;
    if (f.forecastBand) return new Explanation(reason, channel, f.deviation, expected, lower, upper);
    double mean = origin + f.referenceMean;
    double halfBand = bandSigmas * f.referenceSpread;
    return new Explanation(reason, channel, f.deviation, mean, mean - halfBand, mean + halfBand);
  }

  /**
   * The smallest tail of the {@link #surprise}s that may decide, each under its own history, then the surprises
   * folded into the histories — after the warm-up: while the normaliser and the network settle, their errors say
   * nothing of the sensor. An evidence that abstains (NaN) is neither judged nor counted. A forged age is clamped
   * to the histograms' range.
   */
  private double judge(float[] stats, char[] histograms, int at, int from, long n) {
    int age = (int) Math.max(0, Math.min(history.period(), stats[at + HISTORY_AGE]));
    double perUnit = history.surprisesPerUnit(age);
    double minTail = 1;
    deciding = 0;
    boolean withinForecastBand = Math.abs(now.error) <= bandSigmas;
    for (int k = 0; k < EVIDENCES; k++) {
      if (Double.isNaN(surprise[k]) || !found[k].mayDecide) continue;
      double tail = history.tail(histograms, from + k * EmpiricalTail.BINS, perUnit, surprise[k]);
      if (weak[k] && withinForecastBand) tail = Math.max(tail, weakFloor);
      if (tail < minTail) {
        minTail = tail;
        deciding = k;
      }
    }
    decidingTail = minTail;
    if (n > warmUpReadings) {
      if (age == history.period()) {
        for (int k = 0; k < EVIDENCES; k++) history.renormalise(histograms, from + k * EmpiricalTail.BINS);
        age = 0;
      }
      age++;
      int units = history.units(age);
      for (int k = 0; k < EVIDENCES; k++) {
        if (!Double.isNaN(surprise[k])) history.add(histograms, from + k * EmpiricalTail.BINS, units, surprise[k]);
      }
      stats[at + HISTORY_AGE] = age;
    }
    return minTail;
  }

  /**
   * A tail no more extreme than the recent peak (the largest evidence -ln p, forgetting with half-life
   * {@code adaptHalfLife}) brings no news, and counts with half its evidence, √p. A rising episode
   * still rises; its echoes stop raising one alarm after another.
   */
  private double repeatDamped(float[] stats, int at, double tail) {
    double evidence = evidence(tail);
    double peak = stats[at + RECENT_PEAK];
    stats[at + RECENT_PEAK] = SensorState.narrow(Math.max(evidence, peak * peakKeep));
    return evidence <= peak ? Math.sqrt(tail) : tail;
  }

  /**
   * One tail probability from the per-channel ones {@code tails[0..k)}, by {@link DetectorConfig#combination()};
   * writes each channel's share of the evidence, proportional to -ln p_c, into {@code shares}.
   */
  public double combine(double[] tails, int k, double[] shares) {
    double evidence = 0;
    double minTail = 1;
    for (int c = 0; c < k; c++) {
      evidence += evidence(tails[c]);
      minTail = Math.min(minTail, tails[c]);
    }
    for (int c = 0; c < k; c++) shares[c] = evidence > 0 ? evidence(tails[c]) / evidence : 1.0 / k;
    if (k == 1) return tails[0];
    return switch (combination) {
      // Šidák: 1 - (1 - p)^k, in logs so tiny p keep their precision.
      case MAX -> -Math.expm1(k * Math.log1p(-minTail));
      // Upper tail of χ²(2k) at 2·evidence is Q(k, evidence).
      case FISHER -> Gamma.regularizedGammaQ(k, evidence);
    };
  }

  /** Where running counts stop: far beyond any weight max(1/count, α) they set, and exact as floats. */
  static final float COUNT_CAP = 1e6f;

  /** A running count after one more, held at {@link #COUNT_CAP}. */
  static float counted(float count) {
    return Math.min(count + 1, COUNT_CAP);
  }

  /** Folds {@code x} with {@code weight} into the exponential average at {@code stats[at]}. */
  static void average(float[] stats, int at, double x, double weight) {
    stats[at] = SensorState.narrow(stats[at] + weight * (x - stats[at]));
  }

  /**
   * Folds {@code x} with {@code weight} into the exponentially weighted mean at {@code stats[at]} and variance
   * at {@code stats[at + 1]} (West's update: the exact population variance while weight = 1/n).
   */
  static void foldIn(float[] stats, int at, double x, double weight) {
    double delta = x - stats[at];
    stats[at] = SensorState.narrow(stats[at] + weight * delta);
    stats[at + 1] = SensorState.narrow(OnlineNormaliser.spreadUpdate(stats[at + 1], weight, delta));
  }

  /** -ln p, the evidence against normal in nats; +0 rather than -0 for p = 1. */
  private static double evidence(double tail) {
    return Math.max(0, -Math.log(tail));
  }
}
