package io.streamlstm.bench;

import io.streamlstm.detect.DetectorConfig;
import io.streamlstm.detect.Score;
import io.streamlstm.lstm.Models;
import io.streamlstm.streams.ActiveModels;
import io.streamlstm.streams.ModelRoutes;
import io.streamlstm.streams.ReadingJson;
import io.streamlstm.streams.ReadingScorer;
import io.streamlstm.streams.ScoreJson;
import io.streamlstm.streams.ScoringObserver;
import io.streamlstm.streams.StreamSettings;
import io.streamlstm.streams.Timestamps;
import io.streamlstm.streams.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
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
 * What the topology adds around the detector, per reading, outside Kafka: the timestamp extractor's
 * parse, then the scorer (parse, state decode, {@code Detector.process}, state encode) and the score's
 * JSON, as the processor runs them. Compare with {@code DetectorBenchmark.processWithStateCodec}: the
 * difference is the JSON in and out. One sensor, a noisy sine in ISO-timestamped JSON, past warm-up. With
 * {@code routes}, four model routes none of which matches the sensor, so every reading tries all four globs: what
 * routing sensors to models ({@code streamlstm.model.routes}) costs at worst.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ScoringStepBenchmark {

  private static final int READINGS = 1 << 16;

  @Param({"", "valve-*=valves,press-*=presses,line-?-*=lines,*-temp=temps"})
  public String routes;

  private final byte[][] readings = new byte[READINGS][];
  private final Map<String, byte[]> states = new HashMap<>();
  /** Sensor ids of a fleet, for the routing alone: none is a constant the JIT could fold. */
  private final String[] fleet = new String[1024];
  private ActiveModels models;
  private ReadingScorer scorer;
  private int next;
  private Score lastScore;

  @Setup
  public void setUp() {
    final SplittableRandom random = new SplittableRandom(7);
    for (int k = 0; k < READINGS; k++) {
      final double value = 20 + 5 * Math.sin(k * 0.05) + 0.3 * random.nextGaussian();
      readings[k] = ("{\"sensorId\":\"pump-7\",\"timestamp\":\"" + Timestamps.format(1_767_225_600_000L + 1000L * k)
          + "\",\"value\":" + value + "}").getBytes(StandardCharsets.UTF_8);
    }
    final DetectorConfig config = DetectorConfig.defaults();
    models = new ActiveModels(Models.loadDefault(), StreamSettings.DEFAULT_MODEL_NAME, ModelRoutes.parse(routes), config,
        ScoringObserver.NONE);
    scorer = new ReadingScorer(models, StreamSettings.defaults(), ScoringObserver.NONE, states::get, states::put);
    for (int k = 0; k < fleet.length; k++) fleet[k] = "pump-" + k;
    for (int k = 0; k < READINGS / 4; k++) step();
  }

  @Benchmark
  public byte[] step() {
    if (next == READINGS) {
      // Time would go backwards on the wrap: start the sensor over (one warm-up in 65536 readings).
      states.clear();
      next = 0;
    }
    final byte[] value = readings[next++];
    final long recordTime;
    try {
      recordTime = ReadingJson.timestampOf(value); // the timestamp extractor's read, the record time it gives
    } catch (io.streamlstm.streams.BadReadingException e) {
      throw new IllegalStateException(e);
    }
    final Verdict verdict = scorer.score("pump-7", value, recordTime);
    lastScore = verdict.score();
    return ScoreJson.write(verdict.sensorId(), verdict.model(), verdict.score());
  }

  /** The routing alone: the model slot of a sensor, which the scorer finds for every reading. */
  @Benchmark
  public int route() {
    return models.slotOf(fleet[next++ & (fleet.length - 1)]);
  }

  /** The JSON out alone: one score written again and again. */
  @Benchmark
  public byte[] scoreJson() {
    return ScoreJson.write("pump-7", StreamSettings.DEFAULT_MODEL_NAME, lastScore);
  }

  /** The JSON in alone: the extractor's read of the timestamp and the scorer's parse. */
  @Benchmark
  public Object readingJson() throws io.streamlstm.streams.BadReadingException {
    final byte[] value = readings[next++ & (READINGS - 1)];
    ReadingJson.timestampOf(value);
    return ReadingJson.parse("pump-7", value);
  }
}
