package io.streamlstm.detect;

/** One channel's readings as an {@link Evidence} sees them, one after another, over its own slice of state. */
final class EvidenceTesting {

  final Evidence evidence;
  final float[] stats;
  final Finding found = new Finding();
  private final Observation now = new Observation();

  EvidenceTesting(Evidence evidence) {
    this.evidence = evidence;
    this.stats = new float[evidence.size()];
    now.scale = 1;
    now.historySpread = 1;
  }

  /** The surprise of the next reading: its error, value (relative to the origin), time and gap since the last. */
  double next(double error, double value, long timestampMillis, long gapMillis) {
    now.n++;
    now.error = error;
    now.value = value;
    now.zHistory = value;
    now.timestampMillis = timestampMillis;
    now.gapMillis = gapMillis;
    return evidence.surprise(now, stats, 0, found);
  }

  /** The surprise of the next reading of a sensor that reads every minute from time 0, forecast with error {@code error}. */
  double next(double error, double value) {
    return next(error, value, now.n * 60_000L, 60_000L);
  }

  /** The predictor's memory the next readings come with (null: a predictor without one). */
  EvidenceTesting memory(float[] memory) {
    now.memory = memory;
    now.memoryAt = 0;
    return this;
  }

  EvidenceTesting scale(double scale) {
    now.scale = scale;
    return this;
  }
}
