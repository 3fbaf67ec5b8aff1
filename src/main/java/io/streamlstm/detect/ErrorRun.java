package io.streamlstm.detect;

/**
 * A run of moderate errors: the root mean square of the recent standardised errors, averaged with a short
 * half-life (HTM judges a 10-reading mean of its errors). A stretch the forecast keeps missing by a little, which
 * no single error shows. State: the short average of e².
 */
final class ErrorRun implements Evidence {

  static final int SIZE = 1;
  private static final int MEAN_SQUARE = 0;

  private final double alpha;

  /** @param halfLife of the average, in readings */
  ErrorRun(double halfLife) {
    this.alpha = AnomalyLikelihood.alpha(halfLife);
  }

  @Override
  public Explanation.Reason reason() {
    return Explanation.Reason.ERROR_RUN;
  }

  @Override
  public int size() {
    return SIZE;
  }

  @Override
  public double surprise(Observation now, float[] stats, int at, Finding found) {
    AnomalyLikelihood.average(stats, at + MEAN_SQUARE, now.error * now.error, Math.max(1.0 / now.n, alpha));
    double rms = Math.sqrt(stats[at + MEAN_SQUARE]);
    found.forecast(rms);
    return Math.log1p(rms);
  }
}
