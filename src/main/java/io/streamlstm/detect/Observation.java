package io.streamlstm.detect;

/**
 * One channel's reading as the evidences see it: the forecast's standardised error, the value, and what the
 * sensor's history says of it. Filled by {@link AnomalyLikelihood} for each reading and handed to every
 * {@link Evidence}; reused, never kept.
 */
final class Observation {
  /** (z − μ) / σ: the reading against the forecast made before it, in σ. */
  double error;
  /** The reading in the sensor's units, relative to the channel's origin (its first reading). */
  double value;
  /** The sensor's overall spread (its normaliser's), for floors relative to it. */
  double scale;
  long timestampMillis;
  /** Time since the sensor's reading before. */
  long gapMillis;
  /** Readings of the channel so far, this one included (n ≥ 1). */
  long n;
  /** The value in spreads of the sensor's own history, and that history's mean (relative to the origin) and spread. */
  double zHistory;
  double historyMean;
  double historySpread;
  /** The predictor's memory, after this reading, at {@code memory[memoryAt..]}; null for a predictor without one. */
  float[] memory;
  int memoryAt;
}
