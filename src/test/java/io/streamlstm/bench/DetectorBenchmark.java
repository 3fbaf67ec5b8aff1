package io.streamlstm.bench;

import io.streamlstm.detect.Detector;
import io.streamlstm.detect.DetectorConfig;
import io.streamlstm.detect.Outcome;
import io.streamlstm.detect.Reading;
import io.streamlstm.detect.SensorState;
import io.streamlstm.lstm.Models;
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
 * What the stream pays per reading of one sensor with the shipped default model: the whole
 * {@link Detector#process} (normalise, error, likelihood, LSTM step), alone and with the state store's
 * round trip around it ({@link SensorState#decode} before, {@link SensorState#encode} after), as the
 * processor does with a state kept as bytes; and that round trip decoding into a reused state
 * ({@link SensorState#decodeInto}), so only the stored bytes themselves are new; and the round trip's two halves
 * alone, on one settled state. The readings are a noisy sine, past the warm-up.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
public class DetectorBenchmark {

  private static final int READINGS = 4096;

  private final Reading[] readings = new Reading[READINGS];
  private Detector detector;
  private SensorState state;
  private byte[] stored;
  private byte[] settled;
  private SensorState reused;
  private long t;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(7);
    detector = new Detector(Models.loadDefault(), DetectorConfig.defaults());
    state = detector.newState();
    for (int k = 0; k < READINGS; k++) {
      // timestamps are re-stamped per call below; only the values repeat
      readings[k] = Reading.single(k, 20 + 5 * Math.sin(k * 0.05) + 0.3 * random.nextGaussian());
    }
    for (int k = 0; k < 2 * READINGS; k++) process();
    stored = state.encode();
    settled = stored;
    reused = detector.newState();
  }

  private Reading nextReading() {
    long now = t++;
    Reading r = readings[(int) (now & (READINGS - 1))];
    return new Reading(now, r.channels(), r.values());
  }

  @Benchmark
  public Outcome process() {
    return detector.process(state, nextReading());
  }

  @Benchmark
  public Outcome processWithStateCodec() {
    SensorState decoded = SensorState.decode(stored);
    Outcome outcome = detector.process(decoded, nextReading());
    stored = decoded.encode();
    return outcome;
  }

  @Benchmark
  public SensorState decodeIntoReusedState() {
    SensorState.decodeInto(settled, reused);
    return reused;
  }

  @Benchmark
  public byte[] encode() {
    return state.encode();
  }

  @Benchmark
  public Outcome processWithReusedStateCodec() {
    SensorState.decodeInto(stored, reused);
    Outcome outcome = detector.process(reused, nextReading());
    stored = reused.encode();
    return outcome;
  }
}
