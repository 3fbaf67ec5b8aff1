package io.streamlstm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.app.Service;
import io.streamlstm.app.SimulateCommand;
import io.streamlstm.detect.simulation.SimulatedReading;
import io.streamlstm.streams.DeadLetters;
import io.streamlstm.streams.Timestamps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of bad records of every kind mixed into good readings: the stream keeps running, each bad
 * record lands in the dead-letter topic with its reason and its original bytes, and the good readings
 * are scored exactly as if the bad ones had never been sent.
 */
@ExtendWith(KafkaExtension.class)
class BadInputIT {

  private static final String MALFORMED = "MALFORMED";

  /** One kind of bad record: the reason the service must give, and how to make one from a good reading. */
  private record Kind(String name, String reason, BiFunction<SimulatedReading, SplittableRandom, byte[]> make) {}

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String ts(SimulatedReading r) {
    return Timestamps.format(r.timestampMillis());
  }

  private static final List<Kind> KINDS = List.of(
      new Kind("not JSON", MALFORMED, (r, rnd) -> utf8("{\"sensorId\":\"" + r.sensorId() + "\",\"timestamp\":")),
      new Kind("binary garbage", MALFORMED, (r, rnd) -> {
        byte[] b = new byte[1 + rnd.nextInt(64)];
        rnd.nextBytes(b);
        b[0] = (byte) 0xff; // never valid UTF-8 JSON
        return b;
      }),
      new Kind("empty bytes", MALFORMED, (r, rnd) -> new byte[0]),
      new Kind("null value", MALFORMED, (r, rnd) -> null),
      new Kind("empty object", MALFORMED, (r, rnd) -> utf8("{}")),
      new Kind("no timestamp", MALFORMED, (r, rnd) -> utf8("{\"sensorId\":\"" + r.sensorId() + "\",\"value\":1.5}")),
      new Kind("no value", MALFORMED, (r, rnd) -> utf8("{\"sensorId\":\"" + r.sensorId() + "\",\"timestamp\":\"" + ts(r) + "\"}")),
      new Kind("NaN as a string", MALFORMED, (r, rnd) -> reading(r, "\"NaN\"")),
      new Kind("Infinity as a string", MALFORMED, (r, rnd) -> reading(r, "\"Infinity\"")),
      new Kind("NaN token", "NOT_FINITE", (r, rnd) -> reading(r, "NaN")),
      new Kind("-Infinity token", "NOT_FINITE", (r, rnd) -> reading(r, "-Infinity")),
      new Kind("huge value", "NOT_FINITE", (r, rnd) -> reading(r, "1e999")),
      new Kind("value of wrong type", MALFORMED, (r, rnd) -> reading(r, rnd.nextBoolean() ? "\"high\"" : "[1,2]")),
      new Kind("timestamp of wrong type", MALFORMED, (r, rnd) ->
          utf8("{\"sensorId\":\"" + r.sensorId() + "\",\"timestamp\":true,\"value\":1.0}")),
      new Kind("unparseable timestamp", MALFORMED, (r, rnd) ->
          utf8("{\"sensorId\":\"" + r.sensorId() + "\",\"timestamp\":\"yesterday\",\"value\":1.0}")),
      new Kind("sensorId of wrong type", MALFORMED, (r, rnd) ->
          utf8("{\"sensorId\":7,\"timestamp\":\"" + ts(r) + "\",\"value\":1.0}")),
      new Kind("sensorId other than the key", MALFORMED, (r, rnd) ->
          utf8("{\"sensorId\":\"someone-else\",\"timestamp\":\"" + ts(r) + "\",\"value\":1.0}")),
      new Kind("not an object", MALFORMED, (r, rnd) -> utf8(rnd.nextBoolean() ? "[1,2,3]" : "42")),
      new Kind("wrong channels", "WRONG_CHANNELS", (r, rnd) ->
          utf8("{\"sensorId\":\"" + r.sensorId() + "\",\"timestamp\":\"" + ts(r) + "\",\"values\":{\"temp\":1.0,\"rpm\":2.0}}")),
      new Kind("time going backwards", "TIME_BACKWARDS", (r, rnd) ->
          utf8("{\"sensorId\":\"" + r.sensorId() + "\",\"timestamp\":\""
              + Timestamps.format(r.timestampMillis() - 3_600_000L * (1 + rnd.nextInt(48))) + "\",\"value\":"
              + r.value() + "}")));

  private static byte[] reading(SimulatedReading r, String valueJson) {
    return utf8("{\"sensorId\":\"" + r.sensorId() + "\",\"timestamp\":\"" + ts(r) + "\",\"value\":" + valueJson + "}");
  }

  @Test
  void badRecordsGoToTheDeadLetterTopicAndLeaveGoodScoresUntouched(TestKafka kafka, @TempDir Path stateDir)
      throws Exception {
    List<SimulatedReading> good = ScoringRun.simulate(4, 500, 23);
    SplittableRandom random = new SplittableRandom(99);
    List<Clients.Message> mixed = new ArrayList<>();
    Map<String, Integer> expectedDeadLetters = new TreeMap<>();
    Map<String, Integer> badPerReason = new TreeMap<>();
    Map<String, Boolean> seen = new HashMap<>();
    for (SimulatedReading r : good) {
      mixed.add(new Clients.Message(r.sensorId(), SimulateCommand.toJson(r)));
      // Bad records only after a sensor's first good reading: before it, "wrong channels" would be the
      // sensor's first reading and define its channels, and nothing is "backwards" yet.
      if (seen.put(r.sensorId(), true) == null) continue;
      int bad = random.nextInt(3);
      for (int k = 0; k < bad; k++) {
        Kind kind = KINDS.get(random.nextInt(KINDS.size()));
        byte[] value = kind.make().apply(r, random);
        mixed.add(new Clients.Message(r.sensorId(), value));
        expectedDeadLetters.merge(deadLetterKey(kind.reason(), r.sensorId(), value), 1, Integer::sum);
        badPerReason.merge(kind.reason(), 1, Integer::sum);
      }
    }
    int badCount = mixed.size() - good.size();
    assertTrue(badCount > 1500, "thousands of bad records: " + badCount);

    ScoringRun run = new ScoringRun("bad-input");
    try (Service service = ScoringRun.startService(run.config(kafka.bootstrapServers(), stateDir, 2))) {
      Clients.produce(kafka.bootstrapServers(), run.readings, mixed);
      List<ConsumerRecord<String, String>> scores = Clients.readCommitted(
          kafka.bootstrapServers(), run.scores, good.size(), Duration.ofSeconds(120), Duration.ofSeconds(1));
      List<ConsumerRecord<String, byte[]>> deadLetters = Clients.readCommittedBytes(
          kafka.bootstrapServers(), run.deadLetters, badCount, Duration.ofSeconds(60), Duration.ofSeconds(1));

      assertEquals(org.apache.kafka.streams.KafkaStreams.State.RUNNING, service.state(), "still running");
      Map<String, Integer> actualDeadLetters = new TreeMap<>();
      Map<String, Integer> actualPerReason = new TreeMap<>();
      for (ConsumerRecord<String, byte[]> record : deadLetters) {
        String reason = DeadLetters.text(record.headers(), DeadLetters.REASON);
        assertTrue(DeadLetters.text(record.headers(), DeadLetters.DETAIL) != null, "a detail for every dead letter");
        actualDeadLetters.merge(deadLetterKey(reason, record.key(), record.value()), 1, Integer::sum);
        actualPerReason.merge(reason, 1, Integer::sum);
      }
      assertEquals(badPerReason, actualPerReason, "dead letters by reason");
      assertEquals(expectedDeadLetters, actualDeadLetters, "each bad record dead-lettered as sent, with its reason");
      ScoringRun.assertSameScores(ScoringRun.offlineScores(good), ScoringRun.byReading(scores));
    }
  }

  private static String deadLetterKey(String reason, String key, byte[] value) {
    return reason + " " + key + " " + (value == null ? "null" : Base64.getEncoder().encodeToString(value));
  }
}
