package io.streamlstm.streams;

import io.streamlstm.detect.Score;
import io.streamlstm.detect.SensorState;
import io.streamlstm.detect.alerts.Departure;
import io.streamlstm.detect.alerts.Feedback;
import io.streamlstm.detect.alerts.FeedbackMemory;
import io.streamlstm.detect.alerts.Label;
import io.streamlstm.detect.alerts.Reference;
import io.streamlstm.detect.alerts.Rule;
import io.streamlstm.detect.alerts.RuleSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a flagged reading alerts, after the detector: the rules in effect ({@link RuleSet}), then what
 * feedback taught the sensor ({@link FeedbackMemory}). A suppressed reading keeps its score and its anomaly flag; it
 * gets a mark saying why, and opens no episode.
 *
 * <p>Feedback waits in the pending store until its sensor's first reading stamped at or after its effective time
 * ({@link Feedback#effectiveMillis()}), then teaches the sensor from the flagged readings it remembers. Which
 * sensors have feedback waiting, and from when, is kept in memory too (read from the pending store at start), so a
 * reading of any other sensor reads no store; an unflagged reading reads none either. The stream's processor and
 * the offline commands use it alike, with stores or maps. Not thread-safe: one per stream task.
 */
public final class AlertFilter {

  private static final Logger LOG = LoggerFactory.getLogger(AlertFilter.class);
  /** What can keep a flagged reading from alerting, as {@link ScoringObserver#suppressed} names it. */
  public static final String FEEDBACK = "feedback";
  public static final List<String> SUPPRESSED_BY = List.of("min_departure", "direction", "maintenance", FEEDBACK);
  /** What becomes of a label, as {@link ScoringObserver#feedback} names it. */
  public static final String RECEIVED = "received";
  public static final String APPLIED = "applied";
  public static final String LATE = "late";
  public static final String DROPPED = "dropped";
  public static final List<String> FEEDBACK_OUTCOMES = List.of(RECEIVED, APPLIED, LATE, DROPPED);
  /** A sensor's labels waiting beyond this many are dropped (counted): its readings stopped, or its spans lie ahead. */
  static final int MAX_PENDING = 100;
  /** Labels due at one reading are applied in this order, whatever order they arrived in. */
  private static final Comparator<Feedback> APPLY_ORDER = Comparator.comparingLong(Feedback::effectiveMillis)
      .thenComparingLong(Feedback::fromMillis).thenComparingLong(Feedback::toMillis).thenComparing(Feedback::label);

  private final Supplier<RuleSet> rules;
  private final FeedbackSettings settings;
  private final ScoringObserver observer;
  private final Function<String, byte[]> loadMemory;
  private final BiConsumer<String, byte[]> saveMemory;
  private final Function<String, byte[]> loadPending;
  private final BiConsumer<String, byte[]> savePending;
  private final Function<String, byte[]> loadSensorState;
  /** Sensors with labels waiting, and the earliest effective time among them. */
  private final Map<String, Long> due = new HashMap<>();

  /**
   * {@code save*} with null deletes; {@code loadSensorState} gives a sensor's detector state, to tell a label that
   * arrives after a reading it should have applied to.
   */
  public AlertFilter(Supplier<RuleSet> rules, FeedbackSettings settings, ScoringObserver observer,
      Function<String, byte[]> loadMemory, BiConsumer<String, byte[]> saveMemory, Function<String, byte[]> loadPending,
      BiConsumer<String, byte[]> savePending, Function<String, byte[]> loadSensorState) {
    this.rules = rules;
    this.settings = settings;
    this.observer = observer;
    this.loadMemory = loadMemory;
    this.saveMemory = saveMemory;
    this.loadPending = loadPending;
    this.savePending = savePending;
    this.loadSensorState = loadSensorState;
  }

  /** A filter keeping what it learns in maps of its own, for the offline commands; sensor states in {@code states}. */
  public static AlertFilter inMemory(Supplier<RuleSet> rules, FeedbackSettings settings, Map<String, byte[]> states) {
    final Map<String, byte[]> memories = new HashMap<>();
    final Map<String, byte[]> pending = new HashMap<>();
    return new AlertFilter(rules, settings, ScoringObserver.NONE, memories::get, memories::put, pending::get,
        pending::put, states::get);
  }

  /** Labels found waiting in the pending store at start, e.g. after a restore or when the task moved here. */
  public void pendingFound(String sensorId, byte[] stored) {
    final List<Feedback> pending = pending(sensorId, stored);
    if (!pending.isEmpty()) due.put(sensorId, earliest(pending));
  }

  /** A label on {@code sensorId} arrived; it waits for the sensor's first reading at or after its effective time. */
  public void received(String sensorId, Feedback feedback) {
    if (lastReadingMillis(sensorId) >= feedback.effectiveMillis()) {
      // A reading it should have applied to came first: from here on the live stream and a replay may differ.
      LOG.warn("Sensor {}: {} label on {}..{} arrived after a reading stamped at or after {}, when it takes effect",
          sensorId, feedback.label().wireName(), Timestamps.format(feedback.fromMillis()),
          Timestamps.format(feedback.toMillis()), Timestamps.format(feedback.effectiveMillis()));
      observer.feedback(feedback.label().wireName(), LATE);
    }
    final List<Feedback> pending = new ArrayList<>(pending(sensorId, loadPending.apply(sensorId)));
    if (pending.size() >= MAX_PENDING) {
      LOG.warn("Sensor {}: {} labels already wait, {} label on {}..{} dropped", sensorId, pending.size(),
          feedback.label().wireName(), Timestamps.format(feedback.fromMillis()), Timestamps.format(feedback.toMillis()));
      observer.feedback(feedback.label().wireName(), DROPPED);
      return;
    }
    pending.add(feedback);
    savePending.accept(sensorId, PendingFeedback.encode(pending));
    due.put(sensorId, earliest(pending));
  }

  /**
   * Applies the sensor's labels that are due by this reading, then judges it: null when it alerts as the detector
   * says (unflagged, or flagged and kept), else the mark of what suppressed it.
   */
  public String judge(String sensorId, Score score) {
    final long at = score.timestampMillis();
    FeedbackMemory memory = null;
    if (!due.isEmpty()) {
      final Long effective = due.get(sensorId);
      if (effective != null && at >= effective) memory = applyDue(sensorId, at);
    }
    if (!score.anomaly()) return null;
    final Departure departure = Departure.of(score);
    final Rule rule = rules.get().suppressing(sensorId, at, departure);
    if (memory == null) memory = memory(sensorId);
    final boolean knownBenign = rule == null && memory.knownBenign(departure, settings.margin());
    memory.remember(at, departure);
    saveMemory.accept(sensorId, memory.encode());
    if (rule != null) {
      observer.suppressed(rule.condition().kind());
      return rule.mark();
    }
    if (knownBenign) {
      observer.suppressed(FEEDBACK);
      final Reference kind = Reference.of(departure.reason());
      return String.format(Locale.ROOT, "feedback: %s departure from %s (%s), labelled normal up to %.4g",
          departure.direction().wireName(), kind.description(), departure.reason(),
          memory.learnedPeak(kind, departure.direction()));
    }
    return null;
  }

  /** Teaches the sensor the labels due by {@code at}, in {@link #APPLY_ORDER}; keeps the rest waiting. */
  private FeedbackMemory applyDue(String sensorId, long at) {
    final List<Feedback> waiting = new ArrayList<>();
    final List<Feedback> dueNow = new ArrayList<>();
    for (Feedback f : pending(sensorId, loadPending.apply(sensorId))) (f.effectiveMillis() <= at ? dueNow : waiting).add(f);
    dueNow.sort(APPLY_ORDER);
    final FeedbackMemory memory = memory(sensorId);
    for (Feedback f : dueNow) {
      final int changed = f.label() == Label.NORMAL ? memory.learnNormal(f.fromMillis(), f.toMillis())
          : memory.forget(f.fromMillis(), f.toMillis(), settings.margin());
      LOG.info("Sensor {}: {} label on {}..{} applied at {}: {} {}", sensorId, f.label().wireName(),
          Timestamps.format(f.fromMillis()), Timestamps.format(f.toMillis()), Timestamps.format(at), changed,
          f.label() == Label.NORMAL ? "flagged readings learned from" : "learned patterns forgotten");
      observer.feedback(f.label().wireName(), APPLIED);
    }
    saveMemory.accept(sensorId, memory.encode());
    savePending.accept(sensorId, waiting.isEmpty() ? null : PendingFeedback.encode(waiting));
    if (waiting.isEmpty()) {
      due.remove(sensorId);
    } else {
      due.put(sensorId, earliest(waiting));
    }
    return memory;
  }

  private FeedbackMemory memory(String sensorId) {
    final byte[] stored = loadMemory.apply(sensorId);
    if (stored == null) return new FeedbackMemory();
    try {
      return FeedbackMemory.decode(stored);
    } catch (IllegalArgumentException e) {
      // Only what this sensor learned is lost; its scores are unharmed.
      LOG.warn("Sensor {}: stored feedback memory unreadable ({}), starting it afresh", sensorId, e.getMessage());
      return new FeedbackMemory();
    }
  }

  private static List<Feedback> pending(String sensorId, byte[] stored) {
    if (stored == null) return List.of();
    try {
      return PendingFeedback.decode(stored);
    } catch (IllegalArgumentException e) {
      LOG.warn("Sensor {}: stored pending feedback unreadable ({}), dropped", sensorId, e.getMessage());
      return List.of();
    }
  }

  private static long earliest(List<Feedback> pending) {
    long earliest = Long.MAX_VALUE;
    for (Feedback f : pending) earliest = Math.min(earliest, f.effectiveMillis());
    return earliest;
  }

  /** The sensor's last accepted reading time; Long.MIN_VALUE when it has none (or it cannot be read). */
  private long lastReadingMillis(String sensorId) {
    final byte[] stored = loadSensorState.apply(sensorId);
    if (stored == null) return Long.MIN_VALUE;
    try {
      return SensorState.decode(stored).lastTimestampMillis();
    } catch (IllegalArgumentException unreadable) {
      return Long.MIN_VALUE;
    }
  }
}
