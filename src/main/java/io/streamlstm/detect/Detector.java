package io.streamlstm.detect;

import io.streamlstm.lstm.Model;
import io.streamlstm.lstm.StepKernel;
import io.streamlstm.lstm.StepKernels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One sensor's state and one reading in, a score out. For each channel c of a reading at time t:
 * <pre>
 *   z_t   = clip((x_t - m_{t-1}) / s_{t-1})         normalised with the statistics before it
 *   e_t   = (z_t - μ_t) / σ_t                       error against the prediction made at t-1
 *   μ_{t+1}, σ_{t+1} = LSTM step(h, C, z_t)         the prediction for the next reading, adapted to this
 *                                                   sensor by its own readout ({@link AdaptivePredictor})
 *   p_t   = AnomalyLikelihood(e_t, C_t)             upper tail probability of the error, the level, the
 *                                                   routine and the network's memory C_t, each against
 *                                                   the sensor's own history of it
 * </pre>
 * and the likelihood is 1 - combine(p_t over channels), with the evidence that decided it as the score's
 * {@link Explanation}. A model reading one channel runs once per channel, each with its own h and C (and
 * readout); a model reading k channels runs once over all of them.
 *
 * <p>Not thread-safe (holds the predictor's scratch): one instance per stream thread.
 */
public final class Detector {

  /** Longest channel name or model version the state's binary form stores. */
  static final int MAX_NAME_BYTES = 1024;
  static final int MAX_CHANNELS = 255;

  private final Model model;
  private final DetectorConfig config;
  private final Predictor predictor;
  private final OnlineNormaliser normaliser;
  private final AnomalyLikelihood likelihood;
  private final int modelChannels;
  private final int stateSize;
  // Where the predictor's memory lies in a lane's state, for the evidence that judges it (size 0: none).
  private final int memorySize;
  private final int memoryAt;
  // Scratch, reused every reading: the predictor's input and outputs, per-channel z and tail probabilities.
  private final float[] x;
  private final float[] mean;
  private final float[] sigma;
  private double[] z = new double[1];
  private double[] scales = new double[1];
  private double[] tails = new double[1];

  public Detector(Model model, DetectorConfig config) {
    this(model, predictor(StepKernels.create(model.network())), config);
  }

  /** The network adapted to each sensor ({@link AdaptivePredictor}) where it reads one channel; else as it is. */
  private static Predictor predictor(StepKernel network) {
    return network.architecture().inputSize() == 1 ? new AdaptivePredictor(network) : Predictor.of(network);
  }

  /**
   * A detector forecasting with {@code predictor} instead of the model's network (an ablation baseline); the
   * model still gives the normalisation and the version.
   */
  public Detector(Model model, Predictor predictor, DetectorConfig config) {
    if (model.version().getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new IllegalArgumentException("model version longer than " + MAX_NAME_BYTES + " bytes");
    }
    this.model = model;
    this.config = config;
    this.predictor = predictor;
    this.normaliser = new OnlineNormaliser(model.normalisation());
    this.likelihood = new AnomalyLikelihood(config, predictor.memorySize());
    this.modelChannels = predictor.inputSize();
    this.stateSize = predictor.stateSize();
    this.memorySize = predictor.memorySize();
    this.memoryAt = predictor.memoryAt();
    this.x = new float[modelChannels];
    this.mean = new float[modelChannels];
    this.sigma = new float[modelChannels];
  }

  /** The version of the model in use, as in {@link Score#modelVersion()}. */
  public String modelVersion() {
    return model.version();
  }

  public Model model() {
    return model;
  }

  public DetectorConfig config() {
    return config;
  }

  /** A state for a sensor never seen before. */
  public SensorState newState() {
    return new SensorState(model.version());
  }

  /**
   * Scores {@code reading} and, when it is accepted, updates {@code state} in place. A refused reading
   * leaves the state untouched. A state computed under another model version is re-warmed for this
   * detector's model from the recent readings it keeps, before the reading is scored.
   */
  public Outcome process(SensorState state, Reading reading) {
    Outcome refused = validate(state, reading);
    if (refused != null) return refused;
    if (state.readings == 0) {
      state.setModelVersion(model.version());
      state.start(reading.channels(), lanes(reading.channels().length), stateSize, config.replayReadings());
    } else if (!state.modelVersion().equals(model.version()) || !fitsModel(state)) {
      rewarm(state);
    }
    return Outcome.scored(score(state, reading));
  }

  private Outcome validate(SensorState state, Reading reading) {
    String[] channels = reading.channels();
    double[] values = reading.values();
    if (channels == null || values == null || channels.length == 0 || channels.length != values.length) {
      return Outcome.rejected(Rejection.Reason.WRONG_CHANNELS, "need one value per channel and at least one channel");
    }
    for (int c = 0; c < values.length; c++) {
      if (!Double.isFinite(values[c])) {
        return Outcome.rejected(Rejection.Reason.NOT_FINITE, channels[c] + " = " + values[c]);
      }
    }
    if (state.readings > 0 && !Arrays.equals(channels, state.channels)) {
      return Outcome.rejected(Rejection.Reason.WRONG_CHANNELS,
          "channels " + Arrays.toString(channels) + ", sensor has " + Arrays.toString(state.channels));
    }
    if (channels.length > MAX_CHANNELS || (modelChannels != 1 && modelChannels != channels.length)) {
      return Outcome.rejected(Rejection.Reason.WRONG_CHANNELS,
          channels.length + " channels; the model reads " + modelChannels + " (or one channel at a time)");
    }
    if (state.readings == 0) {
      for (String name : channels) {
        if (name == null || name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
          return Outcome.rejected(Rejection.Reason.WRONG_CHANNELS, "channel name missing or too long");
        }
      }
    }
    if (reading.timestampMillis() < state.lastTimestampMillis) return backwards(state, reading.timestampMillis());
    return null;
  }

  /**
   * A reading earlier than the sensor's last accepted one: refused, and counted. When it is the {@link
   * DetectorConfig#clockSetBackReadings()}-th in a row, each at or after the one before, the sensor's clock
   * was set back for good: it is accepted (null), and the sensor goes on from its new clock.
   */
  private Outcome backwards(SensorState state, long timestampMillis) {
    boolean inRun = state.backwardsRun > 0 && timestampMillis >= state.lastBackwardsMillis;
    // Saturating: with clockSetBackReadings 0 a run never ends by acceptance.
    int run = !inRun ? 1 : state.backwardsRun == Integer.MAX_VALUE ? Integer.MAX_VALUE : state.backwardsRun + 1;
    int setBack = config.clockSetBackReadings();
    if (setBack > 0 && run >= setBack) return null;
    state.backwardsRun = run;
    state.lastBackwardsMillis = timestampMillis;
    return Outcome.rejectedCounting(Rejection.Reason.TIME_BACKWARDS,
        timestampMillis + " < last " + state.lastTimestampMillis + " (" + run + " in a row)");
  }

  /** Whether h and C are shaped for this model (a state of the same version always is, unless forged). */
  private boolean fitsModel(SensorState state) {
    float[][] recurrent = state.recurrent;
    return recurrent.length == lanes(state.channels.length) && recurrent[0].length == stateSize;
  }

  /** One recurrent state per channel for a one-channel model, else one for all. */
  private int lanes(int channels) {
    return modelChannels == 1 ? channels : 1;
  }

  private Score score(SensorState state, Reading reading) {
    double[] values = reading.values();
    int k = values.length;
    long n = state.readings; // readings before this one; the surprise of this one is the n-th
    ensureScratch(k);
    double[] expected = new double[k];
    double[] lower = new double[k];
    double[] upper = new double[k];
    double[] error = new double[k];
    double[] shares = new double[k];
    double band = config.bandSigmas();
    Explanation explanation = null;
    double decidingTail = 2;
    for (int c = 0; c < k; c++) {
      double m = state.normaliser[2 * c];
      double v = state.normaliser[2 * c + 1];
      z[c] = n == 0 ? 0 : normaliser.normalise(values[c], m, v);
      if (n == 0) {
        expected[c] = lower[c] = upper[c] = values[c];
        tails[c] = 1;
        state.origin[c] = values[c];
      } else {
        double mu = state.predictedMean[c];
        double s = state.predictedSigma[c];
        expected[c] = normaliser.denormalise(mu, m, v);
        lower[c] = normaliser.denormalise(mu - band * s, m, v);
        upper[c] = normaliser.denormalise(mu + band * s, m, v);
        error[c] = (z[c] - mu) / s;
      }
      scales[c] = normaliser.scale(m, v);
      normaliser.update(state.normaliser, 2 * c, values[c], n + 1);
    }
    // The evidences judge the network's memory after it has taken this reading in.
    predict(state);
    for (int c = 0; c < k && n > 0; c++) {
      float[] memory = memorySize == 0 ? null : state.recurrent[modelChannels == 1 ? c : 0];
      tails[c] = likelihood.update(state.likelihood, state.histograms, c,
          error[c], values[c] - state.origin[c], scales[c], reading.timestampMillis(),
          reading.timestampMillis() - state.lastTimestampMillis, n, memory, memoryAt);
      if (tails[c] < decidingTail) {
        decidingTail = tails[c];
        explanation = likelihood.explain(reading.channels()[c], state.origin[c], expected[c], lower[c], upper[c]);
      }
    }
    state.remember(values);
    state.readings = n + 1;
    state.lastTimestampMillis = reading.timestampMillis();
    state.backwardsRun = 0;
    state.lastBackwardsMillis = Long.MIN_VALUE;

    double p = likelihood.combine(tails, k, shares);
    boolean warmingUp = n < config.warmUpReadings();
    double l = warmingUp ? 0 : 1 - p;
    double surprise = warmingUp ? 0 : -Math.log10(p);
    if (warmingUp || explanation == null) {
      explanation = new Explanation(Explanation.Reason.NONE, reading.channels()[0], 0, expected[0], lower[0], upper[0]);
    }
    return new Score(reading.timestampMillis(), reading.channels(), values.clone(), expected, lower, upper,
        error, shares, l, surprise, !warmingUp && l >= config.anomalyThreshold(), warmingUp, model.version(),
        explanation);
  }

  private void ensureScratch(int channels) {
    if (z.length < channels) {
      z = new double[channels];
      scales = new double[channels];
      tails = new double[channels];
    }
  }

  /**
   * Advances h and C by the normalised reading {@code z} and stores the prediction for the next one. A step
   * whose result would not be finite leaves h, C and the prediction as they were (the predictor refuses it).
   */
  private void predict(SensorState state) {
    if (modelChannels == 1) {
      for (int c = 0; c < state.channels.length; c++) {
        x[0] = (float) z[c];
        if (predictor.step(state.recurrent[c], x, mean, sigma)) {
          state.predictedMean[c] = mean[0];
          state.predictedSigma[c] = sigma[0];
        }
      }
    } else {
      for (int c = 0; c < modelChannels; c++) x[c] = (float) z[c];
      if (predictor.step(state.recurrent[0], x, mean, sigma)) {
        System.arraycopy(mean, 0, state.predictedMean, 0, modelChannels);
        System.arraycopy(sigma, 0, state.predictedSigma, 0, modelChannels);
      }
    }
  }

  /**
   * Rebuilds h, C and the prediction for this detector's model from a fresh start by replaying the recent
   * raw readings, normalised with the sensor's current statistics. The normaliser and error statistics
   * describe the sensor, not the model, so they carry over and scores stay continuous; the places the old
   * model's memory visited do not, and are learned anew.
   */
  private void rewarm(SensorState state) {
    int k = state.channels.length;
    AnomalyLikelihood.forgetMemory(state.likelihood, state.histograms, k);
    state.recurrent = new float[lanes(k)][stateSize];
    Arrays.fill(state.predictedMean, 0f);
    Arrays.fill(state.predictedSigma, 1f);
    ensureScratch(k);
    for (int r = 0; r < state.recentCount; r++) {
      for (int c = 0; c < k; c++) {
        z[c] = normaliser.normalise(state.recent[r * k + c], state.normaliser[2 * c], state.normaliser[2 * c + 1]);
      }
      predict(state);
    }
    state.setModelVersion(model.version());
  }
}
