package io.streamlstm.detect;

/** One reading far from the forecast: the size of this reading's error alone, |e| in σ. A spike, a jump. */
final class SuddenError implements Evidence {

  static final int SIZE = 0;

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
    found.forecast(now.error);
    return Math.log1p(Math.abs(now.error));
  }
}
