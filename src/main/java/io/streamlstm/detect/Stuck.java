package io.streamlstm.detect;

/**
 * A sensor stuck at one value: the same reading, exactly, for longer than this sensor has lately repeated one. The
 * other evidences cannot see it: a frozen reading is where the forecast expects it and inside the sensor's history.
 *
 * <p>So it is not ranked against a histogram of its own (a sensor that never repeats has none to rank against) but
 * judged by a model: if the sensor repeats its last value at its usual rate q, independently, a run r readings
 * longer than its longest run so far (and than {@link #FREE_REPEATS}) has probability q^r. That probability is
 * floored just under the alarm level: the model earns a stuck run an alarm, but a frozen reading is no measure of
 * how far off the sensor is, so it never outranks a clear departure. The repeat damping then keeps the run to one
 * alarm. The rate and the longest run forget with the history's half-life, as every statistic of the detector
 * does: a sensor that sat still that long long ago is not used to it now.
 *
 * <p>Not judged: a value at or beyond either end of the range the sensor has read (a quantity pinned at its limit,
 * a valve fully open, a CPU at 100 %), and the slice's first {@code warmUpReadings} readings, while the rate and the
 * longest run are learned. Values are compared as the doubles they arrived as (held as two floats): a float alone
 * would call two readings of 1 · 10⁻⁵ apart on a sensor 20 from its origin the same. State per channel: {@link
 * #SIZE} floats.
 */
final class Stuck {

  static final int SIZE = 8;
  private static final int READINGS = 0;
  private static final int LAST = 1;
  /** The last value's remainder below float precision: value − (float) value. */
  private static final int LAST_REST = 2;
  private static final int RUN = 3;
  private static final int REPEAT_RATE = 4;
  private static final int LONGEST_RUN = 5;
  private static final int LOWEST = 6;
  private static final int HIGHEST = 7;

  /** Repeats any sensor may make before a run is judged: a reading rounded to its resolution repeats by chance. */
  static final int FREE_REPEATS = 2;

  private final double rateAlpha;
  private final double longestKeep;
  private final int warmUpReadings;
  private final double floor;

  /**
   * @param historyHalfLife of the repeat rate and of the longest run, in readings
   * @param alarmTail the tail, Bonferroni-corrected, below which a reading alarms: the floor lies just under it
   */
  Stuck(double historyHalfLife, int warmUpReadings, double alarmTail) {
    this.rateAlpha = AnomalyLikelihood.alpha(historyHalfLife);
    this.longestKeep = 1 - rateAlpha;
    this.warmUpReadings = warmUpReadings;
    this.floor = Math.max(0.9 * alarmTail, AnomalyLikelihood.MIN_TAIL);
  }

  /**
   * The tail probability of this reading's run of repeats, or NaN when it makes no test (no run long enough, a value
   * at the range's ends, still learning); then folds the reading into {@code stats[at..at + SIZE)}. Writes the run's
   * length, in repeats, as the deviation into {@code found}.
   */
  double tail(Observation now, float[] stats, int at, Finding found) {
    float value = SensorState.narrow(now.value);
    float rest = SensorState.narrow(now.value - value);
    double seen = stats[at + READINGS];
    boolean repeat = seen > 0 && value == stats[at + LAST] && rest == stats[at + LAST_REST];
    double previousRun = stats[at + RUN];
    double run = repeat ? previousRun + 1 : 0;
    double longest = stats[at + LONGEST_RUN];
    boolean inside = seen > 0 && value > stats[at + LOWEST] && value < stats[at + HIGHEST];
    double beyond = run - Math.max(FREE_REPEATS, longest);
    double tail = Double.NaN;
    if (repeat && inside && beyond > 0 && seen >= warmUpReadings) {
      tail = Math.max(Math.pow(stats[at + REPEAT_RATE], beyond), floor);
      found.forecast(run);
    }

    stats[at + READINGS] = AnomalyLikelihood.counted(stats[at + READINGS]);
    stats[at + LAST] = value;
    stats[at + LAST_REST] = rest;
    stats[at + RUN] = SensorState.narrow(run);
    stats[at + LONGEST_RUN] = SensorState.narrow((repeat ? longest : Math.max(longest, previousRun)) * longestKeep);
    AnomalyLikelihood.average(stats, at + REPEAT_RATE, repeat ? 1 : 0, Math.max(1 / (seen + 1), rateAlpha));
    stats[at + LOWEST] = seen > 0 ? Math.min(stats[at + LOWEST], value) : value;
    stats[at + HIGHEST] = seen > 0 ? Math.max(stats[at + HIGHEST], value) : value;
    return tail;
  }
}
