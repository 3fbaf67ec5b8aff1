package io.streamlstm.lstm;

/** Adam (Kingma and Ba, 2015) over one flat parameter vector, with bias-corrected moments. */
final class Adam {

  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;

  private final double learningRate;
  private final double[] m;
  private final double[] v;
  private int t;

  Adam(int size, double learningRate) {
    this.learningRate = learningRate;
    this.m = new double[size];
    this.v = new double[size];
  }

  /** One update of {@code params} (P) against gradient {@code grad} (P). */
  void step(double[] params, double[] grad) {
    t++;
    double correction1 = 1 - StrictMath.pow(BETA1, t);
    double correction2 = 1 - StrictMath.pow(BETA2, t);
    for (int k = 0; k < params.length; k++) {
      m[k] = BETA1 * m[k] + (1 - BETA1) * grad[k];
      v[k] = BETA2 * v[k] + (1 - BETA2) * grad[k] * grad[k];
      double mHat = m[k] / correction1;
      double vHat = v[k] / correction2;
      params[k] -= learningRate * mHat / (Math.sqrt(vHat) + EPSILON);
    }
  }
}
