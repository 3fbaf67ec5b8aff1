package io.streamlstm.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScalarStepKernelTest {

  /** One LSTM step on a 1-unit, 1-channel network worked out by hand from the gate equations. */
  @Test
  void oneUnitStepMatchesTheEquations() {
    Architecture arch = new Architecture(CellType.LSTM, 1, 1, 1);
    Layout layout = new Layout(arch);
    double[] p = new double[layout.size()];
    // columns are [h, x]
    double[][] w = {{0.5, -0.3}, {0.2, 0.4}, {-0.6, 0.9}, {0.1, 0.7}};
    double[] b = {1.0, 0.1, -0.2, 0.05};
    for (int gate = 0; gate < 4; gate++) {
      p[layout.gateWeights(0, gate)] = w[gate][0];
      p[layout.gateWeights(0, gate) + 1] = w[gate][1];
      p[layout.gateBiases(0, gate)] = b[gate];
    }
    p[layout.headMeanWeights()] = 2.0;
    p[layout.headMeanBias()] = 0.5;
    p[layout.headScaleWeights()] = -1.0;
    p[layout.headScaleBias()] = 0.3;
    double h0 = 0.25, c0 = -0.4, x = 1.5;
    double f = sig(w[0][0] * h0 + w[0][1] * x + b[0]);
    double i = sig(w[1][0] * h0 + w[1][1] * x + b[1]);
    double g = Math.tanh(w[2][0] * h0 + w[2][1] * x + b[2]);
    double o = sig(w[3][0] * h0 + w[3][1] * x + b[3]);
    double c1 = f * c0 + i * g;
    double h1 = o * Math.tanh(c1);

    float[] state = {(float) h0, (float) c0};
    float[] mean = new float[1];
    float[] sigma = new float[1];
    assertTrue(new ScalarStepKernel(new Network(arch, p)).step(state, new float[] {(float) x}, mean, sigma));
    assertEquals(h1, state[0], 1e-6);
    assertEquals(c1, state[1], 1e-6);
    assertEquals(2.0 * h1 + 0.5, mean[0], 1e-6);
    assertEquals(Math.log1p(Math.exp(-h1 + 0.3)) + Network.SIGMA_MIN, sigma[0], 1e-6);
  }

  @Test
  void nonFiniteInputLeavesStateUntouched() {
    Architecture arch = new Architecture(CellType.LSTM, 1, 4, 2);
    StepKernel kernel = new ScalarStepKernel(Network.initialise(arch, 7));
    float[] state = new float[arch.stateSize()];
    float[] mean = new float[1];
    float[] sigma = new float[1];
    assertTrue(kernel.step(state, new float[] {0.3f}, mean, sigma));
    float[] before = state.clone();
    assertFalse(kernel.step(state, new float[] {Float.NaN}, mean, sigma));
    assertArrayEquals(before, state);
  }

  private static double sig(double z) {
    return 1 / (1 + Math.exp(-z));
  }
}
