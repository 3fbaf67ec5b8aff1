package io.streamlstm.detect;

/**
 * One reading far from the forecast: the size of this reading's error alone, |e| in σ. A spike, a jump.
 *
 * <p>The forecast is of the next reading at the sensor's usual spacing. A reading after a silence of more than
 * {@link #LONG_SILENCE} usual spacings was not forecast: its error may not flag it, and what the sensor did meanwhile
 * is left to the level, the routine and the memory. The error still counts into the history, as a warming sensor's
 * do, so the errors of the readings after it rank among the sizes this sensor shows when it resumes. Measured on both
 * corpora, leaving it out of the history did worse. The usual spacing is the geometric mean of the gaps
 * between readings (an average of ln(1 + gap in ms), weight max(1/count, α) with the history's half-life), which
 * the rare long silence barely moves; readings at the same instant are no gap. State: that average and the gaps
 * counted into it (capped).
 */
final class SuddenError implements Evidence {

  static final int LOG_SPACING = 0;
  static final int GAPS = 1;
  static final int SIZE = 2;
  /** Gaps, in usual spacings, beyond which the reading after them was not forecast. */
  static final double LONG_SILENCE = 10;
  private static final double LN_LONG_SILENCE = Math.log(LONG_SILENCE);

  private final double alpha;

  /** @param historyHalfLife of the usual spacing, in readings */
  SuddenError(double historyHalfLife) {
    this.alpha = AnomalyLikelihood.alpha(historyHalfLife);
  }

  @Override
  public Explanation.Reason reason() {
    return Explanation.Reason.SUDDEN_ERROR;
  }

  @Override
  public int size() {
    return SIZE;
  }

  @Override
  public double surprise(Observation now, float[] stats, int at, Finding found) {
    boolean afterLongSilence = false;
    // Readings at the same instant (a batch, a coarse clock) or on a clock set back say nothing of the spacing.
    if (now.gapMillis > 0) {
      double logGap = Math.log1p(now.gapMillis);
      float gaps = stats[at + GAPS];
      afterLongSilence = gaps > 0 && logGap > stats[at + LOG_SPACING] + LN_LONG_SILENCE;
      float counted = AnomalyLikelihood.counted(gaps);
      AnomalyLikelihood.average(stats, at + LOG_SPACING, logGap, Math.max(1.0 / counted, alpha));
      stats[at + GAPS] = counted;
    }
    found.forecast(now.error);
    found.mayDecide = !afterLongSilence;
    return Math.log1p(Math.abs(now.error));
  }
}
