package io.streamlstm.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BpttTest {

  private static final int STEPS = 7;

  @Test
  void lstmTwoLayerGradientsMatchFiniteDifferences() {
    checkEveryParameter(new Architecture(CellType.LSTM, 2, 4, 2));
  }

  @Test
  void lstmThreeLayerGradientsMatchFiniteDifferences() {
    checkEveryParameter(new Architecture(CellType.LSTM, 1, 3, 3));
  }

  @Test
  void rnnGradientsMatchFiniteDifferences() {
    checkEveryParameter(new Architecture(CellType.RNN, 2, 4, 2));
  }

  /** β-NLL: each reading's gradient is the likelihood's times σ^{2β} (here one step, one channel, β = ½). */
  @Test
  void betaWeightsTheGradientBySigma() {
    Architecture arch = new Architecture(CellType.LSTM, 1, 3, 2);
    Network network = randomNetwork(arch, 21);
    double[][] z = randomSeries(2, 1, 22);
    double[] plain = new double[network.parameters().length];
    double[] weighted = new double[plain.length];
    Bptt likelihood = new Bptt(network, 1, 0);
    likelihood.forward(randomState(arch, 23), z, 0, 1);
    likelihood.backward(plain, 1);
    Bptt beta = new Bptt(network, 1, 0.5);
    beta.forward(randomState(arch, 23), z, 0, 1);
    beta.backward(weighted, 1);
    double sigma = likelihood.sigma(0, 0);
    assertTrue(Math.abs(sigma - 1) > 0.05, "σ = " + sigma + " would not tell the weighting apart");
    for (int k = 0; k < plain.length; k++) {
      assertEquals(plain[k] * sigma, weighted[k], 1e-12 * Math.max(1, Math.abs(plain[k])), "parameter " + k);
    }
  }

  /** The double forward is the float inference step: same h, C, μ and σ along a sequence. */
  @Test
  void forwardAgreesWithTheFloatKernel() {
    for (CellType cell : CellType.values()) {
      Architecture arch = new Architecture(cell, 2, 8, 2);
      Network network = randomNetwork(arch, 5);
      double[][] z = randomSeries(40, 2, 6);
      Bptt bptt = new Bptt(network, 39, 0);
      double[] state = randomState(arch, 7);
      float[] floatState = new float[state.length];
      for (int k = 0; k < state.length; k++) floatState[k] = (float) state[k];

      StepKernel kernel = new ScalarStepKernel(network);
      float[] mean = new float[2];
      float[] sigma = new float[2];
      double[] doubleState = state.clone();
      for (int t = 0; t < 39; t++) {
        // one step at a time so the double state can be compared after every step
        bptt.forward(doubleState, z, t, 1);
        float[] x = {(float) z[t][0], (float) z[t][1]};
        assertTrue(kernel.step(floatState, x, mean, sigma));
        for (int k = 0; k < state.length; k++) assertEquals(doubleState[k], floatState[k], 1e-5, cell + " state " + k + " at " + t);
        for (int c = 0; c < 2; c++) {
          assertEquals(bptt.mean(0, c), mean[c], 1e-5, cell + " mean at " + t);
          assertEquals(bptt.sigma(0, c), sigma[c], 1e-5, cell + " sigma at " + t);
        }
      }
    }
  }

  /**
   * Central differences for every parameter against the backward pass, from a non-zero initial state so
   * the path through C_{t-1} and h_{t-1} of the first step is checked too.
   */
  private static void checkEveryParameter(Architecture arch) {
    Network network = randomNetwork(arch, 11);
    double[][] z = randomSeries(STEPS + 1, arch.inputSize(), 12);
    double[] start = randomState(arch, 13);
    Bptt bptt = new Bptt(network, STEPS, 0);
    double[] p = network.parameters();
    double[] grad = new double[p.length];
    bptt.forward(start.clone(), z, 0, STEPS);
    bptt.backward(grad, 1.0);

    double eps = 1e-5;
    double worst = 0;
    for (int k = 0; k < p.length; k++) {
      double saved = p[k];
      p[k] = saved + eps;
      double plus = bptt.forward(start.clone(), z, 0, STEPS);
      p[k] = saved - eps;
      double minus = bptt.forward(start.clone(), z, 0, STEPS);
      p[k] = saved;
      double numeric = (plus - minus) / (2 * eps);
      // Relative error, with a floor so that gradients that are 0 up to rounding are not divided by 0.
      double relative = Math.abs(grad[k] - numeric) / Math.max(Math.abs(grad[k]) + Math.abs(numeric), 1e-6);
      worst = Math.max(worst, relative);
      assertTrue(relative < 1e-5, arch + " parameter " + k + ": analytic " + grad[k] + ", numeric " + numeric);
    }
    assertTrue(worst > 0, "the check compared nothing");
  }

  /** Initialised weights plus random biases and head, so no gate sits at its default. */
  static Network randomNetwork(Architecture arch, long seed) {
    Network network = Network.initialise(arch, seed);
    SplittableRandom random = new SplittableRandom(seed + 100);
    double[] p = network.parameters();
    for (int k = 0; k < p.length; k++) p[k] += random.nextDouble(-0.3, 0.3);
    return network;
  }

  static double[][] randomSeries(int length, int channels, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] z = new double[length][channels];
    for (double[] row : z) {
      for (int c = 0; c < channels; c++) row[c] = random.nextDouble(-2, 2);
    }
    return z;
  }

  private static double[] randomState(Architecture arch, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] state = new double[arch.stateSize()];
    int h = arch.hiddenSize();
    for (int l = 0; l < arch.layers(); l++) {
      for (int j = 0; j < h; j++) {
        state[l * 2 * h + j] = random.nextDouble(-0.8, 0.8);
        // an RNN keeps C at 0
        if (arch.cell() == CellType.LSTM) state[l * 2 * h + h + j] = random.nextDouble(-1.5, 1.5);
      }
    }
    return state;
  }
}
