package io.streamlstm.detect;

/**
 * The value far from where the sensor has been: {@code ln(1 + |z_H|)}, z_H the value in spreads of the sensor's own
 * history, averaged over a half-life. The forecast may follow a new level at once and see no error, and the
 * normaliser, forgetting faster, soon calls it ordinary; against the history it stands out.
 *
 * <p>Two of these judge the level: over the short half-life, a jump ({@link Explanation.Reason#LEVEL}); over an
 * episode's, a slow or lasting departure ({@link Explanation.Reason#LASTING_DEPARTURE}): a sensor that stays
 * moderately off for longer than its history has seen it stay off, which no short average tells from its usual
 * excursions. State: the average.
 */
final class Level implements Evidence {

  static final int SIZE = 1;
  private static final int AVERAGE = 0;

  private final Explanation.Reason reason;
  private final double alpha;

  /** @param halfLife of the average, in readings */
  Level(Explanation.Reason reason, double halfLife) {
    this.reason = reason;
    this.alpha = AnomalyLikelihood.alpha(halfLife);
  }

  @Override
  public Explanation.Reason reason() {
    return reason;
  }

  @Override
  public int size() {
    return SIZE;
  }

  @Override
  public double surprise(Observation now, float[] stats, int at, Finding found) {
    AnomalyLikelihood.average(stats, at + AVERAGE, Math.log1p(Math.abs(now.zHistory)), Math.max(1.0 / now.n, alpha));
    // The evidence judges an average; this reading's own distance from the history says more to a reader.
    found.reference(now.zHistory, now.historyMean, now.historySpread);
    return stats[at + AVERAGE];
  }
}
