package io.streamlstm.bench;

import io.streamlstm.lstm.Trainer;
import io.streamlstm.lstm.TrainingOptions;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Training throughput: one epoch of {@link Trainer} at the {@code train} command's defaults (LSTM,
 * H=32, one layer, windows of 64) over one series of normalised readings, reported per reading (its
 * forward and backward step and its share of the Adam updates, plus the validation pass over the
 * held-back tail).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
public class TrainerBenchmark {

  private static final int READINGS = 2048;

  private List<double[][]> series;
  private final TrainingOptions options = TrainingOptions.defaults().withSchedule(1, 64, 3e-3, 1);

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(7);
    double[][] z = new double[READINGS][1];
    for (int t = 0; t < READINGS; t++) z[t][0] = Math.sin(t * 0.05) + 0.1 * random.nextGaussian();
    series = List.<double[][]>of(z);
  }

  @Benchmark
  @OperationsPerInvocation(READINGS)
  public Trainer.Result oneEpoch() {
    return Trainer.train(series, options, (epoch, trainLoss, validationLoss) -> {});
  }
}
