package io.streamlstm.detect;

/**
 * What a sensor usually reads at this time of day: per hour-of-day slot (UTC), an exponentially
 * weighted mean and variance of the readings seen in that slot on earlier days. The LSTM predicts one
 * step ahead from a short memory, so a daily pattern that fails to happen (a missing nightly jump, a
 * flat afternoon, a holiday) leaves it no error; against the hour's own history it stands out. Each
 * hour keeps its own spread: a busy afternoon varies more than a quiet night.
 *
 * <p>At {@code stats[at]}: per slot, mean and variance ({@link #SIZE} floats), the mean relative to a fixed
 * origin of the channel (its first reading) so a float keeps the precision of a sensor's swing, not of its
 * level. At {@code seen[slotsAt]}: per slot, the readings seen, saturating at {@link #SATURATED} — beyond it
 * the count changes nothing, the slot weighs each reading by its half-life alone.
 */
final class DailyProfile {

  static final int SLOTS = 24;
  static final int SIZE = 2 * SLOTS;
  /**
   * Half-life of a slot's statistics, in days: they follow a slowly changing routine, and remember it as long
   * whether the sensor reads once an hour or every five minutes.
   */
  static final double HALF_LIFE_DAYS = 10;
  /** Readings of a slot before it judges: a reading or two say little about a routine. */
  static final int SETTLE = 3;
  /** Smallest slot spread, relative to the sensor's overall scale, so a perfectly regular series is not called anomalous for rounding. */
  static final double RELATIVE_SPREAD_FLOOR = 0.05;

  private static final long MILLIS_PER_DAY = 86_400_000L;
  private static final double MILLIS_PER_SLOT = (double) MILLIS_PER_DAY / SLOTS;
  /**
   * Readings a slot counts up to; beyond it a slot weighs each reading by its half-life alone, which for
   * readings at least every 3.4 minutes is more than 1/SATURATED (faster sensors remember 177 readings of a slot).
   */
  static final int SATURATED = 255;

  private DailyProfile() {}

  /**
   * The deviation of {@code value} (relative to the channel's origin) from its slot's mean in slot spreads
   * (0 while the slot settles), then folds the value into the slot. {@code scale} is the sensor's overall
   * spread, for the floor; {@code gapMillis} the time since the sensor's reading before. The slot's mean and
   * spread before the fold go to {@code reference[0..1]}, the reference an explanation names.
   */
  static double deviation(float[] stats, int at, byte[] seen, int slotsAt, double value, double scale,
      long timestampMillis, long gapMillis, double[] reference) {
    int slot = slot(timestampMillis);
    int s = at + 2 * slot;
    int count = Byte.toUnsignedInt(seen[slotsAt + slot]);
    reference[0] = stats[s];
    reference[1] = spread(stats, s, scale);
    double deviation = count >= SETTLE ? (value - reference[0]) / reference[1] : 0;
    seen[slotsAt + slot] = (byte) Math.min(SATURATED, count + 1);
    double weight = Math.max(1.0 / (count + 1), forgetting(gapMillis));
    AnomalyLikelihood.foldIn(stats, s, value, weight);
    return deviation;
  }

  /** The hour-of-day slot (UTC) of a time. */
  private static int slot(long timestampMillis) {
    return (int) (Math.floorMod(timestampMillis, MILLIS_PER_DAY) * SLOTS / MILLIS_PER_DAY);
  }

  /** The spread of the slot whose mean is at {@code stats[s]}, at least the floor relative to {@code scale}. */
  private static double spread(float[] stats, int s, double scale) {
    return Math.max(Math.sqrt(stats[s + 1]), RELATIVE_SPREAD_FLOOR * scale);
  }

  /**
   * The weight of a reading that came {@code gapMillis} after the one before, so the slot forgets with a
   * half-life of {@link #HALF_LIFE_DAYS} in time: a reading stands for the time since the last one, up to its
   * slot's whole hour (a long gap, or one too long for a long, counts as an hour).
   */
  static double forgetting(long gapMillis) {
    double slots = gapMillis < 0 ? 1 : Math.min(1, gapMillis / MILLIS_PER_SLOT);
    return 1 - Math.pow(2, -slots / HALF_LIFE_DAYS);
  }
}
