package io.streamlstm.app.metrics;

import io.streamlstm.detect.Explanation;
import io.streamlstm.detect.Score;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What metrics cost a stream thread per scored reading, next to the LSTM step it follows.
 * Run: {@code java -cp target/test-classes:target/classes:<test classpath> org.openjdk.jmh.Main ScoringObserverBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScoringObserverBench {

  /** The one model name, activated at set-up as the topology does at start. */
  private static final String MODEL = "default";

  private Metrics metrics;
  private MicrometerScoringObserver observer;
  private final String[] sensors = new String[10_000];
  private final Score[] scores = new Score[64];
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    metrics = new Metrics(new MetricsConfig(Set.of("sensor-1", "sensor-2"), 10, Duration.ofMinutes(10),
        Duration.ofMinutes(1), Duration.ofSeconds(10)));
    observer = metrics.observer();
    observer.modelActivated(MODEL, "v1");
    for (int i = 0; i < sensors.length; i++) {
      sensors[i] = "sensor-" + i;
    }
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    for (int i = 0; i < scores.length; i++) {
      double likelihood = random.nextDouble();
      double value = random.nextGaussian();
      scores[i] = new Score(0L, new String[] {"value"}, new double[] {value}, new double[] {0.0},
          new double[] {-3.0}, new double[] {3.0}, new double[] {value}, new double[] {1.0}, likelihood,
          -Math.log10(1 - likelihood), likelihood > 0.999, false, "bench",
          new Explanation(Explanation.Reason.SUDDEN_ERROR, "value", value, 0.0, -3.0, 3.0));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    metrics.close();
  }

  /** A reading of one of 10 000 sensors: almost always one without per-sensor series. */
  @Benchmark
  public void scoredFleetSensor() {
    int i = next++;
    observer.scored(sensors[i % sensors.length], MODEL, scores[i & 63], 25_000);
  }

  /** A reading of an allow-listed sensor: per-sensor gauges updated too. */
  @Benchmark
  public void scoredTrackedSensor() {
    int i = next++;
    observer.scored(sensors[1], MODEL, scores[i & 63], 25_000);
  }
}
