package io.streamlstm.bench;

import io.streamlstm.lstm.Architecture;
import io.streamlstm.lstm.CellType;
import io.streamlstm.lstm.Network;
import io.streamlstm.lstm.ScalarStepKernel;
import io.streamlstm.lstm.StepKernel;
import io.streamlstm.lstm.VectorStepKernel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One inference step of a one-channel, one-layer LSTM of H units, four ways in the same run: our SIMD
 * kernel, our scalar kernel, a naive double step ({@link NaiveLstmStep}), and the bare matrix-vector
 * product of the same shapes (4H rows of [h, x], then the head's 2 rows of h) with nothing else, the
 * floor a scalar loop cannot beat. Inputs: a noisy sine, so the state moves like a sensor's would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
public class LstmStepBenchmark {

  @Param({"16", "32", "64"})
  int hidden;

  private static final int READINGS = 4096; // a power of two: the index wraps with a mask

  private final float[] readings = new float[READINGS];
  private int t;

  private StepKernel vector;
  private StepKernel scalar;
  private NaiveLstmStep naive;
  private final float[] x = new float[1];
  private float[] vectorState;
  private float[] scalarState;
  private final float[] mean = new float[1];
  private final float[] sigma = new float[1];
  private final double[] xd = new double[1];
  private double[] naiveState;
  private final double[] meanD = new double[1];
  private final double[] sigmaD = new double[1];
  private double[] matrix;
  private double[] vectorIn;

  @Setup
  public void setUp() {
    Architecture arch = new Architecture(CellType.LSTM, 1, hidden, 1);
    Network network = Network.initialise(arch, 42);
    vector = new VectorStepKernel(network);
    scalar = new ScalarStepKernel(network);
    naive = new NaiveLstmStep(network);
    vectorState = new float[arch.stateSize()];
    scalarState = new float[arch.stateSize()];
    naiveState = new double[arch.stateSize()];
    SplittableRandom random = new SplittableRandom(7);
    for (int k = 0; k < READINGS; k++) {
      readings[k] = (float) (Math.sin(k * 0.05) + 0.1 * random.nextGaussian());
    }
    matrix = network.parameters().clone();
    vectorIn = new double[hidden + 1];
    for (int k = 0; k < vectorIn.length; k++) vectorIn[k] = random.nextDouble(-1, 1);
  }

  private float nextReading() {
    return readings[t++ & (READINGS - 1)];
  }

  @Benchmark
  public boolean simdKernel() {
    x[0] = nextReading();
    return vector.step(vectorState, x, mean, sigma);
  }

  @Benchmark
  public boolean scalarKernel() {
    x[0] = nextReading();
    return scalar.step(scalarState, x, mean, sigma);
  }

  @Benchmark
  public double naiveStep() {
    xd[0] = nextReading();
    naive.step(naiveState, xd, meanD, sigmaD);
    return meanD[0];
  }

  /** The same multiply-adds as the step, as plain double loops, and nothing else. */
  @Benchmark
  public double bareMatVec() {
    vectorIn[hidden] = nextReading();
    int n = hidden + 1;
    double total = 0;
    for (int r = 0; r < 4 * hidden; r++) {
      double sum = 0;
      for (int k = 0; k < n; k++) sum += matrix[r * n + k] * vectorIn[k];
      total += sum;
    }
    for (int r = 0; r < 2; r++) {
      double sum = 0;
      for (int k = 0; k < hidden; k++) sum += matrix[r * hidden + k] * vectorIn[k];
      total += sum;
    }
    return total;
  }
}
