package io.streamlstm.streams;

import io.streamlstm.detect.Detector;
import io.streamlstm.detect.Outcome;
import io.streamlstm.detect.Rejection;
import io.streamlstm.detect.Score;
import io.streamlstm.detect.SensorState;
import io.streamlstm.lstm.Model;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One record in, one {@link Verdict} out: parse, refuse a reading stamped too far ahead of its record
 * ({@link FutureTimestamps}), load the sensor's state (a departed sensor's, {@link StateExpiry}, starts
 * over), let the {@link Detector} score, store the new state. The stream's processor and the offline replay
 * both use it, so they parse, refuse and score alike. Sensor states live wherever the caller keeps them (the
 * stream's store, a map). Not thread-safe: one per stream task.
 */
public final class ReadingScorer {

  private static final Logger LOG = LoggerFactory.getLogger(ReadingScorer.class);

  private final ActiveModels models;
  private final long futureToleranceMillis;
  private final StateExpiry expiry;
  private final ScoringObserver observer;
  private final Function<String, byte[]> loadState;
  private final BiConsumer<String, byte[]> saveState;
  /** By model slot ({@link ActiveModels#slotOf}): the model each detector was built for, and the detector. */
  private final Model[] modelsInUse;
  private final Detector[] detectors;
  /** Decoded into again for each reading, so scoring a reading builds no new state object. */
  private SensorState reusable;

  /** {@code saveState} with a null state deletes it; of {@code settings}, the future tolerance and expiry count. */
  public ReadingScorer(ActiveModels models, StreamSettings settings, ScoringObserver observer,
      Function<String, byte[]> loadState, BiConsumer<String, byte[]> saveState) {
    this.models = models;
    this.futureToleranceMillis = settings.futureTolerance().toMillis();
    this.expiry = settings.stateExpiry();
    this.observer = observer;
    this.loadState = loadState;
    this.saveState = saveState;
    this.modelsInUse = new Model[models.names().size()];
    this.detectors = new Detector[modelsInUse.length];
  }

  /**
   * Scores the record {@code value} keyed {@code key} (null or "" when the sensor is in the value), whose Kafka
   * timestamp is {@code recordTimestampMillis} (negative when it has none).
   */
  public Verdict score(String key, byte[] value, long recordTimestampMillis) {
    final long start = System.nanoTime();
    final SensorReading parsed;
    try {
      parsed = ReadingJson.parse(key, value);
    } catch (BadReadingException e) {
      return deadLetter(key, Rejection.Reason.MALFORMED.name(), e.getMessage());
    }
    final String sensorId = parsed.sensorId();
    final long readingMillis = parsed.reading().timestampMillis();
    if (FutureTimestamps.tooFarAhead(readingMillis, recordTimestampMillis, futureToleranceMillis)) {
      return deadLetter(sensorId, DeadLetters.FUTURE_TIMESTAMP, Timestamps.format(readingMillis) + " is more than "
          + futureToleranceMillis + " ms after its record's time " + Timestamps.format(recordTimestampMillis));
    }
    final int slot = models.slotOf(sensorId);
    final Detector detector = detectorForCurrentModel(slot);
    final byte[] stored = loadState.apply(sensorId);
    SensorState state;
    try {
      state = stored == null ? detector.newState() : decodeReusing(stored);
    } catch (IllegalArgumentException e) {
      // Keeping it would refuse this sensor forever; it starts over from its next reading instead.
      LOG.warn("Sensor {}: stored state unreadable ({}), starting it over", sensorId, e.getMessage());
      saveState.accept(sensorId, null);
      return deadLetter(sensorId, DeadLetters.STATE_UNREADABLE, e.getMessage());
    }
    // Departed and back: it starts over, as if the sweep had removed its state, whether or not it came by yet.
    final boolean departed = stored != null && expiry.expired(state.lastTimestampMillis(), readingMillis);
    if (departed) state = detector.newState();
    final Outcome outcome;
    try {
      outcome = detector.process(state, parsed.reading());
    } catch (RuntimeException e) {
      LOG.warn("Sensor {}: detector failed on a reading, dead-lettered", sensorId, e);
      return deadLetter(sensorId, DeadLetters.SCORING_FAILED, e.toString());
    }
    if (outcome.stateChanged()) {
      saveState.accept(sensorId, state.encode()); // a refused reading may count toward a clock set back
      if (departed) observer.statesExpired(1);
    }
    if (!outcome.accepted()) {
      return deadLetter(sensorId, outcome.rejection().reason().name(), outcome.rejection().detail());
    }
    final Score score = outcome.score();
    // The time of the whole step a reading costs: parse, state decode, detector, state encode.
    final long nanos = System.nanoTime() - start;
    final String model = models.name(slot);
    observer.scored(sensorId, model, score, nanos);
    return Verdict.scored(sensorId, model, score, state.readings());
  }

  private SensorState decodeReusing(byte[] stored) {
    if (reusable == null) {
      reusable = SensorState.decode(stored);
      return reusable;
    }
    try {
      SensorState.decodeInto(stored, reusable);
      return reusable;
    } catch (IllegalArgumentException e) {
      reusable = null; // half overwritten: never reuse it
      throw e;
    }
  }

  /**
   * A reference check per record; a new model (rarely) costs one new detector. A sensor whose state was computed
   * under another model, because the model changed or the sensor was routed to another, is re-warmed by the
   * detector ({@link Detector#process}).
   */
  private Detector detectorForCurrentModel(int slot) {
    final Model current = models.current(slot);
    if (current != modelsInUse[slot]) {
      detectors[slot] = new Detector(current, models.detectorConfig());
      modelsInUse[slot] = current;
    }
    return detectors[slot];
  }

  private Verdict deadLetter(String sensorId, String reason, String detail) {
    observer.deadLettered(reason);
    return Verdict.deadLetter(sensorId, reason, detail);
  }
}
