package io.streamlstm.detect;

/**
 * What a sensor usually reads at this time of day: per hour-of-day slot (UTC), an exponentially
 * weighted mean and variance of the readings seen in that slot on earlier days. The LSTM predicts one
 * step ahead from a short memory, so a daily pattern that fails to happen (a missing nightly jump, a
 * flat afternoon, a holiday) leaves it no error; against the hour's own history it stands out. Each
 * hour keeps its own spread: a busy afternoon varies more than a quiet night.
 *
 * <p>At {@code stats[at]}: per slot, readings seen, mean, variance ({@link #SIZE} doubles).
 */
final class DailyProfile {

  static final int SLOTS = 24;
  static final int SIZE = 3 * SLOTS;
  /** Half-life of a slot's statistics in readings of the slot: they follow a slowly changing routine. */
  static final double HALF_LIFE = 10;
  /** Readings of a slot before it judges: a reading or two say little about a routine. */
  static final int SETTLE = 3;
  /** Smallest slot spread, relative to the sensor's overall scale, so a perfectly regular series is not called anomalous for rounding. */
  static final double RELATIVE_SPREAD_FLOOR = 0.05;

  private static final double ALPHA = AnomalyLikelihood.alpha(HALF_LIFE);
  private static final long MILLIS_PER_DAY = 86_400_000L;

  private DailyProfile() {}

  /**
   * The deviation of {@code value} from its slot's mean in slot spreads (0 while the slot settles), then
   * folds the value into the slot. {@code scale} is the sensor's overall spread, for the floor.
   */
  static double deviation(double[] stats, int at, double value, double scale, long timestampMillis) {
    int s = at + 3 * (int) (Math.floorMod(timestampMillis, MILLIS_PER_DAY) * SLOTS / MILLIS_PER_DAY);
    double seen = stats[s];
    double deviation = 0;
    if (seen >= SETTLE) {
      double spread = Math.max(Math.sqrt(stats[s + 2]), RELATIVE_SPREAD_FLOOR * scale);
      deviation = (value - stats[s + 1]) / spread;
    }
    stats[s] = seen + 1;
    double weight = Math.max(1 / (seen + 1), ALPHA);
    double delta = value - stats[s + 1];
    stats[s + 1] += weight * delta;
    stats[s + 2] = (1 - weight) * (stats[s + 2] + weight * delta * delta);
    return deviation;
  }
}
