package io.streamlstm.detect;

/**
 * The naive forecast the network has to beat: the next reading equals the last one, with σ the root mean
 * square of the recent one-step differences (half-life {@link #HALF_LIFE} readings). Its state per channel is
 * the last normalised reading and that mean square. Used for ablation only: the same detector around a
 * predictor that knows nothing but persistence shows what the network itself adds.
 */
public final class PersistencePredictor implements Predictor {

  static final double HALF_LIFE = 20;
  /** Smallest σ, as the network's head has one, so a flat stretch does not make every change infinite. */
  static final float SIGMA_MIN = 0.01f;

  private static final int LAST = 0;
  private static final int MEAN_SQUARE_DIFFERENCE = 1;
  private static final double ALPHA = AnomalyLikelihood.alpha(HALF_LIFE);

  @Override
  public int inputSize() {
    return 1;
  }

  @Override
  public int stateSize() {
    return 2;
  }

  @Override
  public boolean step(float[] state, float[] x, float[] mean, float[] sigma) {
    double difference = x[0] - state[LAST];
    state[MEAN_SQUARE_DIFFERENCE] =
        SensorState.narrow(state[MEAN_SQUARE_DIFFERENCE] + ALPHA * (difference * difference - state[MEAN_SQUARE_DIFFERENCE]));
    state[LAST] = x[0];
    mean[0] = x[0];
    sigma[0] = (float) Math.sqrt(state[MEAN_SQUARE_DIFFERENCE]) + SIGMA_MIN;
    return true;
  }
}
