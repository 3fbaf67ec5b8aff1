package io.streamlstm.detect;

/**
 * The value far from what this sensor usually reads at this time of day. The forecast looks one step ahead from
 * a short memory, so a daily pattern that fails to happen (a missing nightly jump, a flat afternoon, a holiday)
 * leaves it no error; against the sensor's own routine it stands out.
 *
 * <p>The routine is a line per hour of the day (UTC): in each hour slot, an exponentially weighted least-squares
 * fit of the value on the time within the hour, over the readings of that hour on earlier days, with the spread of
 * the readings about the line. So the expected value follows a routine that changes within an hour, and meets the
 * next hour's where the readings do: a smooth daily curve has no step at the full hour, while a routine that does
 * change at the full hour (a shift, a scheduled job) keeps its step. Each hour keeps its own spread: a busy
 * afternoon varies more than a quiet night.
 *
 * <p>A slot judges once it has seen {@link #SETTLE} readings (before that the evidence abstains), and the time of
 * day never flags a reading within its usual range, the routine's band expected ± {@code bandSigmas} spreads: a
 * reading there may still be flagged by another evidence, with that evidence named as the reason.
 *
 * <p>State, per slot: the readings seen (saturating at {@link #SATURATED}: beyond it the count changes nothing, the
 * slot weighs each reading by its half-life alone), the mean time within the hour (−½..½) and the mean value
 * (relative to the channel's origin, so a float keeps the precision of a sensor's swing, not of its level), the
 * variance of the time and its covariance with the value (the line's slope), and the variance of the readings about
 * the line as it stood before each.
 */
final class Routine implements Evidence {

  static final int SLOTS = 24;
  static final int COUNT = 0;
  static final int MEAN_TIME = 1;
  static final int MEAN = 2;
  static final int TIME_VARIANCE = 3;
  static final int COVARIANCE = 4;
  static final int RESIDUAL_VARIANCE = 5;
  static final int PER_SLOT = 6;
  static final int SIZE = SLOTS * PER_SLOT;
  /**
   * Half-life of a slot's statistics, in days: they follow a slowly changing routine, and remember it as long
   * whether the sensor reads once an hour or every five minutes.
   */
  static final double HALF_LIFE_DAYS = 10;
  /** Readings of a slot before it judges: a reading or two say little about a routine. */
  static final int SETTLE = 3;
  /** Smallest spread about the line, relative to the sensor's overall scale, so a perfectly regular series is not called anomalous for rounding. */
  static final double RELATIVE_SPREAD_FLOOR = 0.05;
  /**
   * Smallest variance of the times within the hour (in hours²) for a slope: readings spread over about a tenth of
   * the hour. A sensor reading once an hour, always at the same minute, has a flat line per hour.
   */
  static final double MIN_TIME_VARIANCE = 1e-3;
  /**
   * Readings a slot counts up to; beyond it a slot weighs each reading by its half-life alone, which for
   * readings at least every 3.4 minutes is more than 1/SATURATED (faster sensors remember 177 readings of a slot).
   */
  static final int SATURATED = 255;

  private static final long MILLIS_PER_DAY = 86_400_000L;
  private static final double MILLIS_PER_SLOT = (double) MILLIS_PER_DAY / SLOTS;

  private final double bandSigmas;

  /** @param bandSigmas k of the routine's band, expected ± k spreads, as of the forecast's */
  Routine(double bandSigmas) {
    this.bandSigmas = bandSigmas;
  }

  @Override
  public Explanation.Reason reason() {
    return Explanation.Reason.ROUTINE;
  }

  @Override
  public int size() {
    return SIZE;
  }

  /**
   * A slot compares the value with what the sensor read at this hour on earlier days, and a sensor that wanders
   * from day to day (a spacecraft's channel, a process without shifts) deviates from its slots by tens of their
   * within-hour spreads while its forecast follows it: enough to alarm on, not to outrank a clear error or departure.
   */
  @Override
  public boolean outranksWithinForecastBand() {
    return false;
  }

  /**
   * The deviation of the value from its slot's line at this time, in spreads about the line, then the value folded
   * into the slot's fit.
   */
  @Override
  public double surprise(Observation now, float[] stats, int at, Finding found) {
    double position = Math.floorMod(now.timestampMillis, MILLIS_PER_DAY) / MILLIS_PER_SLOT;
    int slot = (int) position;
    double time = position - slot - 0.5;
    int s = at + PER_SLOT * slot;
    int count = (int) stats[s + COUNT];
    double expected = expected(stats, s, time);
    double spread = Math.max(Math.sqrt(stats[s + RESIDUAL_VARIANCE]), RELATIVE_SPREAD_FLOOR * now.scale);
    double residual = now.value - expected;
    double deviation = residual / spread;
    found.reference(deviation, expected, spread);
    found.mayDecide = Math.abs(deviation) > bandSigmas;
    fold(stats, s, count, time, now.value, residual, Math.max(1.0 / (count + 1), forgetting(now.gapMillis)));
    return count >= SETTLE ? Math.log1p(Math.abs(deviation)) : Double.NaN;
  }

  /** The slot's line at {@code time} within the hour (−½..½): flat where its readings do not spread in time. */
  private static double expected(float[] stats, int s, double time) {
    double timeVariance = stats[s + TIME_VARIANCE];
    double slope = timeVariance > MIN_TIME_VARIANCE ? stats[s + COVARIANCE] / timeVariance : 0;
    return stats[s + MEAN] + slope * (time - stats[s + MEAN_TIME]);
  }

  /**
   * Folds a reading into the slot's weighted means, variance and covariance (West's updates: exact while the
   * weight is 1/n), and its residual against the line before it into the residual variance.
   */
  private static void fold(float[] stats, int s, int count, double time, double value, double residual, double weight) {
    double dTime = time - stats[s + MEAN_TIME];
    // Held finite: a reading near ±Double.MAX_VALUE would otherwise give 0 · ∞ in the covariance.
    double dValue = Math.max(-Double.MAX_VALUE, Math.min(Double.MAX_VALUE, value - stats[s + MEAN]));
    stats[s + COUNT] = Math.min(SATURATED, count + 1);
    stats[s + MEAN_TIME] = SensorState.narrow(stats[s + MEAN_TIME] + weight * dTime);
    stats[s + MEAN] = SensorState.narrow(stats[s + MEAN] + weight * dValue);
    stats[s + TIME_VARIANCE] = SensorState.narrow(OnlineNormaliser.spreadUpdate(stats[s + TIME_VARIANCE], weight, dTime));
    stats[s + COVARIANCE] = SensorState.narrow(weight == 1 ? 0 : (1 - weight) * (stats[s + COVARIANCE] + weight * dTime * dValue));
    // A first reading has nothing to err against; the second's residual is the first estimate of the spread.
    if (count > 0) AnomalyLikelihood.average(stats, s + RESIDUAL_VARIANCE, residual * residual, count == 1 ? 1 : weight);
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
