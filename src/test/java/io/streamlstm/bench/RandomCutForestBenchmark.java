package io.streamlstm.bench;

import com.amazon.randomcutforest.parkservices.AnomalyDescriptor;
import com.amazon.randomcutforest.parkservices.ThresholdedRandomCutForest;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The peer: AWS Random Cut Forest's ThresholdedRandomCutForest scoring one point of one sensor at its
 * defaults (50 trees, sample size 256, shingle 1), on the same kind of noisy sine as the LSTM step.
 * The forest is filled first, so the figure is its steady state, not its cheaper start.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
public class RandomCutForestBenchmark {

  private static final int READINGS = 4096;

  private final double[][] points = new double[READINGS][1];
  private ThresholdedRandomCutForest forest;
  private long t;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(7);
    for (int k = 0; k < READINGS; k++) points[k][0] = Math.sin(k * 0.05) + 0.1 * random.nextGaussian();
    forest = ThresholdedRandomCutForest.builder().dimensions(1).shingleSize(1).randomSeed(42).build();
    for (int k = 0; k < 2 * READINGS; k++) process();
  }

  @Benchmark
  public AnomalyDescriptor process() {
    long now = t++;
    return forest.process(points[(int) (now & (READINGS - 1))], now);
  }
}
