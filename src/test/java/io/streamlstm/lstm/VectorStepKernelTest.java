package io.streamlstm.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The SIMD kernel must give the scalar kernel's bits: same sums in the same order, same activations. */
class VectorStepKernelTest {

  private static final int STEPS = 1000;

  @Test
  void theFactoryPicksTheVectorKernelWhenTheModuleIsPresent() {
    // Surefire runs with --add-modules jdk.incubator.vector; StepKernelsIT covers the JVM without it.
    assertTrue(StepKernels.vectorApiAvailable());
    assertInstanceOf(VectorStepKernel.class, StepKernels.create(Network.initialise(arch(CellType.LSTM, 1, 32, 1), 1)));
  }

  @Test
  void activationsAreBitIdenticalLaneByLane() {
    SplittableRandom random = new SplittableRandom(11);
    int lanes = FloatVector.SPECIES_PREFERRED.length();
    float[] z = new float[64 * lanes];
    float[] out = new float[z.length];
    for (int round = 0; round < 1000; round++) {
      for (int k = 0; k < z.length; k++) z[k] = randomArgument(random);
      System.arraycopy(z, 0, out, 0, z.length);
      VectorActivations.sigmoid(out, lanes, z.length); // the first lanes stay as they were
      for (int k = 0; k < lanes; k++) assertSameBits(z[k], out[k], "untouched", z[k]);
      for (int k = lanes; k < z.length; k++) assertSameBits(Activations.sigmoid(z[k]), out[k], "sigmoid", z[k]);
      System.arraycopy(z, 0, out, 0, z.length);
      VectorActivations.tanh(out, 0, z.length, new float[z.length]);
      for (int k = 0; k < z.length; k++) assertSameBits(Activations.tanh(z[k]), out[k], "tanh", z[k]);
    }
  }

  @Test
  void stepsAreBitIdenticalOverRandomNetworksAndLongSequences() {
    SplittableRandom random = new SplittableRandom(2026);
    int networks = 0;
    for (CellType cell : CellType.values()) {
      for (int h : new int[] {16, 32, 64, 5, 20}) {
        for (int layers = 1; layers <= Architecture.MAX_LAYERS; layers++) {
          for (int channels = 1; channels <= 3; channels++) {
            Architecture arch = arch(cell, channels, h, layers);
            assertSameTrajectory(randomNetwork(arch, random), random.nextLong());
            networks++;
          }
        }
      }
    }
    assertEquals(2 * 5 * 3 * 3, networks);
  }

  @Test
  void bothKernelsRefuseTheSameNonFiniteSteps() {
    Architecture arch = arch(CellType.LSTM, 2, 20, 2);
    Network network = randomNetwork(arch, new SplittableRandom(5));
    StepKernel scalar = new ScalarStepKernel(network);
    StepKernel vector = new VectorStepKernel(network);
    float[][] inputs = {
      {Float.NaN, 0f}, {0.5f, Float.POSITIVE_INFINITY}, {Float.NEGATIVE_INFINITY, 1f}, {3e38f, -3e38f}, {0.1f, 0.2f}
    };
    for (float[] x : inputs) {
      float[] scalarState = new float[arch.stateSize()];
      float[] vectorState = new float[arch.stateSize()];
      float[] mean = {7f, 7f};
      float[] sigma = {7f, 7f};
      boolean accepted = scalar.step(scalarState, x, new float[2], new float[2]);
      assertEquals(accepted, vector.step(vectorState, x, mean, sigma), "accepted " + x[0] + ", " + x[1]);
      for (int k = 0; k < scalarState.length; k++) {
        assertSameBits(scalarState[k], vectorState[k], "state", x[0]);
      }
      if (!accepted) {
        assertEquals(new float[arch.stateSize()].length, vectorState.length);
        for (float v : vectorState) assertEquals(0f, v);
        assertEquals(7f, mean[0]);
        assertEquals(7f, sigma[1]);
      }
    }
    float[] state = new float[arch.stateSize()];
    assertFalse(vector.step(state, new float[] {Float.NaN, Float.NaN}, new float[2], new float[2]));
  }

  private static void assertSameTrajectory(Network network, long seed) {
    Architecture arch = network.architecture();
    StepKernel scalar = new ScalarStepKernel(network);
    StepKernel vector = new VectorStepKernel(network);
    int c = arch.inputSize();
    float[] scalarState = new float[arch.stateSize()];
    float[] vectorState = new float[arch.stateSize()];
    float[] scalarMean = new float[c], vectorMean = new float[c];
    float[] scalarSigma = new float[c], vectorSigma = new float[c];
    float[] x = new float[c];
    SplittableRandom random = new SplittableRandom(seed);
    int accepted = 0;
    for (int t = 0; t < STEPS; t++) {
      for (int k = 0; k < c; k++) {
        // mostly normalised readings, sometimes spikes big enough to saturate every valve
        x[k] = (float) (random.nextInt(50) == 0 ? random.nextDouble(-1e4, 1e4) : random.nextGaussian() * 2);
      }
      boolean ok = scalar.step(scalarState, x, scalarMean, scalarSigma);
      assertEquals(ok, vector.step(vectorState, x, vectorMean, vectorSigma), arch + " step " + t);
      if (ok) accepted++;
      String where = arch + " step " + t;
      for (int k = 0; k < scalarState.length; k++) assertSameBits(scalarState[k], vectorState[k], where + " state", k);
      for (int k = 0; k < c; k++) {
        assertSameBits(scalarMean[k], vectorMean[k], where + " mean", k);
        assertSameBits(scalarSigma[k], vectorSigma[k], where + " sigma", k);
      }
    }
    assertTrue(accepted > STEPS / 2, arch + ": only " + accepted + " steps accepted");
  }

  /** Network.initialise's weights scaled up at random so that some valves saturate and others don't. */
  static Network randomNetwork(Architecture arch, SplittableRandom random) {
    double[] p = Network.initialise(arch, random.nextLong()).parameters();
    double gain = random.nextDouble(0.5, 4);
    for (int k = 0; k < p.length; k++) p[k] = p[k] * gain + random.nextDouble(-0.1, 0.1);
    return new Network(arch, p);
  }

  private static Architecture arch(CellType cell, int channels, int h, int layers) {
    return new Architecture(cell, channels, h, layers);
  }

  private static float randomArgument(SplittableRandom random) {
    switch (random.nextInt(4)) {
      case 0: return (float) random.nextDouble(-1, 1);
      case 1: return (float) random.nextDouble(-20, 20);
      case 2: return (float) random.nextDouble(-200, 200);
      default: return Float.intBitsToFloat(random.nextInt()); // any bits: tiny, huge, infinite, NaN
    }
  }

  private static void assertSameBits(float expected, float actual, String what, Object at) {
    if (Float.isNaN(expected) && Float.isNaN(actual)) return;
    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
        () -> what + " at " + at + ": scalar " + expected + ", vector " + actual);
  }
}
