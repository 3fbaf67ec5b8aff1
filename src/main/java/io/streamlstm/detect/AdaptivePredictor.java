package io.streamlstm.detect;

import io.streamlstm.lstm.Architecture;
import io.streamlstm.lstm.StepKernel;

/**
 * The shared network's forecast, adapted to one sensor. The network's weights are the same for every sensor;
 * what it cannot know is how this sensor departs from the series it was trained on. So each sensor keeps, in
 * its own recurrent state, a small readout learned online from its own readings:
 * <pre>
 *   φ_t = [h_t, x_t, 1]                          the network's top hidden state, the reading, a bias
 *   μ_t = μnet_t + w·φ_t                         the network's mean, corrected for this sensor
 *   r   = x_{t+1} − μ_t                          the error, once the next reading is in
 *   w  += η · r · φ_t / (1 + |φ_t|²)             normalised least mean squares: step size free of the scale of φ
 *   v   = EWMA(r²), half-life {@link #SIGMA_HALF_LIFE}   σ_t = √v · k_t: how well this sensor is predicted lately
 * </pre>
 * σ is the sensor's own recent prediction error, not the network's: the network's σ is learned across all its
 * training series and says little of how predictable this sensor is now. What the network does know, where in a
 * pattern it is surer than usual, comes in as the factor k_t ≤ 1, as far as this sensor's errors have borne it out:
 * the product of two {@link ConfidenceScale}s, one on the network's σ and one on the size of the move it forecasts,
 * |μnet − x| (plus {@link #STILL} of its σ, so a forecast of no move keeps a finite logarithm). Where the network
 * expects a sensor to hold still, a sensor whose errors bear that out is judged more keenly. k_t is held to at least
 * {@link #MIN_CONFIDENCE}. While the readout has seen fewer than {@link #OWN_SIGMA_AFTER} errors, σ is the network's.
 *
 * <p>State per lane, after the network's h and C: the readout's {@code H + 2} weights, the network's last mean,
 * the last reading, the mean square error, the errors counted (up to {@link AnomalyLikelihood#COUNT_CAP}), and the
 * two {@link ConfidenceScale}s' slices, the σ's then the move's. All floats, narrowed at update, so
 * a state through its binary form scores bit for bit as one kept in memory. One-channel models only (the
 * shipped kind): a model reading several channels at once forecasts with its network alone.
 */
public final class AdaptivePredictor implements Predictor {

  /** NLMS step size: a tenth of the way to this error per reading, adapted in some tens of readings. */
  static final double ETA = 0.1;
  /** Half-life, in readings, of the mean square error that gives σ. */
  static final double SIGMA_HALF_LIFE = 20;
  /** Errors the readout has seen before σ is its own. */
  static final int OWN_SIGMA_AFTER = 10;
  static final float SIGMA_MIN = 0.01f;
  /** Of the network's σ, added to the move it forecasts: a move well within its σ is as good as none. */
  static final double STILL = 0.1;
  /** The network's confidence narrows σ at most tenfold: it sharpens the sensor's own errors, never replaces them. */
  static final double MIN_CONFIDENCE = 0.1;

  private static final double ALPHA = AnomalyLikelihood.alpha(SIGMA_HALF_LIFE);

  private final StepKernel network;
  private final int hidden;
  private final int topHiddenAt;
  private final int features;
  private final int weightsAt;
  private final int networkMeanAt;
  private final int lastReadingAt;
  private final int meanSquareAt;
  private final int countAt;
  private final int sigmaScaleAt;
  private final int moveScaleAt;
  // Scratch: the network's outputs and the features of a step (rebuilt from the state: one instance serves many sensors).
  private final float[] networkMean = new float[1];
  private final float[] networkSigma = new float[1];
  private final double[] phi;

  public AdaptivePredictor(StepKernel network) {
    Architecture arch = network.architecture();
    if (arch.inputSize() != 1) throw new IllegalArgumentException("a per-sensor readout needs a one-channel model");
    this.network = network;
    this.hidden = arch.hiddenSize();
    this.topHiddenAt = (arch.layers() - 1) * 2 * hidden;
    this.features = hidden + 2;
    this.weightsAt = arch.stateSize();
    this.networkMeanAt = weightsAt + features;
    this.lastReadingAt = networkMeanAt + 1;
    this.meanSquareAt = lastReadingAt + 1;
    this.countAt = meanSquareAt + 1;
    this.sigmaScaleAt = countAt + 1;
    this.moveScaleAt = sigmaScaleAt + ConfidenceScale.SIZE;
    this.phi = new double[features];
  }

  @Override
  public int inputSize() {
    return 1;
  }

  @Override
  public int stateSize() {
    return moveScaleAt + ConfidenceScale.SIZE;
  }

  @Override
  public int memorySize() {
    return hidden;
  }

  @Override
  public int memoryAt() {
    return network.architecture().topMemoryAt();
  }

  @Override
  public boolean step(float[] state, float[] x, float[] mean, float[] sigma) {
    float count = state[countAt];
    if (count > 0) learn(state, x[0], count);
    if (!network.step(state, x, networkMean, networkSigma)) return false;
    state[networkMeanAt] = networkMean[0];
    state[lastReadingAt] = x[0];
    state[countAt] = AnomalyLikelihood.counted(count);
    features(state, x[0]);
    double mu = forecast(state);
    double move = Math.abs(networkMean[0] - x[0]) + STILL * networkSigma[0];
    double confidence = Math.max(MIN_CONFIDENCE, ConfidenceScale.factor(state, sigmaScaleAt, networkSigma[0])
        * ConfidenceScale.factor(state, moveScaleAt, move));
    double s = count < OWN_SIGMA_AFTER ? networkSigma[0] : Math.sqrt(state[meanSquareAt]) * confidence;
    mean[0] = (float) mu;
    sigma[0] = (float) Math.max(s, SIGMA_MIN);
    return Float.isFinite(mean[0]) && Float.isFinite(sigma[0]);
  }

  /** The error of the last forecast, now that {@code x} is in: one NLMS step and the mean square error. */
  private void learn(float[] state, float x, float count) {
    features(state, state[lastReadingAt]);
    double error = x - forecast(state);
    double norm = 1;
    for (int j = 0; j < features; j++) norm += phi[j] * phi[j];
    double step = ETA * error / norm;
    for (int j = 0; j < features; j++) state[weightsAt + j] = SensorState.narrow(state[weightsAt + j] + step * phi[j]);
    if (count >= OWN_SIGMA_AFTER) {
      double logErrorRatio = ConfidenceScale.logErrorRatio(error * error, state[meanSquareAt]);
      ConfidenceScale.learn(state, sigmaScaleAt, logErrorRatio);
      ConfidenceScale.learn(state, moveScaleAt, logErrorRatio);
    }
    double weight = Math.max(1.0 / count, ALPHA);
    state[meanSquareAt] = SensorState.narrow(state[meanSquareAt] + weight * (error * error - state[meanSquareAt]));
  }

  /** φ = [h, x, 1] of the state as the last step left it. */
  private void features(float[] state, float x) {
    for (int j = 0; j < hidden; j++) phi[j] = state[topHiddenAt + j];
    phi[hidden] = x;
    phi[hidden + 1] = 1;
  }

  private double forecast(float[] state) {
    double mu = state[networkMeanAt];
    for (int j = 0; j < features; j++) mu += state[weightsAt + j] * phi[j];
    return mu;
  }
}
