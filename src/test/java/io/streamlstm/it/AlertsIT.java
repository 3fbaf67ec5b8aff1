package io.streamlstm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlstm.app.AppConfig;
import io.streamlstm.app.Main;
import io.streamlstm.app.Service;
import io.streamlstm.streams.DeadLetters;
import io.streamlstm.streams.DippingSensor;
import io.streamlstm.streams.RecordingObserver;
import io.streamlstm.streams.ScoringObserver;
import io.streamlstm.streams.ScoringTopology;
import io.streamlstm.streams.Timestamps;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules and feedback against a real broker: a rules file re-read while the service runs, a bad one refused and the
 * rules before it kept; labels from the feedback topic teaching a sensor its benign dip, malformed ones
 * dead-lettered, a missed anomaly told; and {@code replay}, given the same rules file and the feedback topic,
 * giving the live scores, marks and episodes.
 */
@ExtendWith(KafkaExtension.class)
class AlertsIT {

  private static final Duration WAIT = Duration.ofSeconds(120);

  private static Service start(Map<String, String> config, ScoringObserver observer) throws InterruptedException {
    final Service service = Service.create(AppConfig.from(config), observer, 0);
    service.start();
    final long deadline = System.nanoTime() + WAIT.toNanos();
    while (service.state() != KafkaStreams.State.RUNNING) {
      assertTrue(System.nanoTime() < deadline, "service not RUNNING: " + service.state());
      Thread.sleep(50);
    }
    return service;
  }

  /** The dipping sensor's readings {@code from} (inclusive) to {@code to} (exclusive), as sensor {@code id}. */
  private static List<Clients.Message> readings(String id, int from, int to) {
    final double[] values = DippingSensor.values();
    final List<Clients.Message> out = new ArrayList<>();
    for (int t = from; t < to; t++) {
      out.add(new Clients.Message(id, ("{\"sensorId\":\"" + id + "\",\"timestamp\":\"" + Timestamps.format(DippingSensor.minute(t))
          + "\",\"value\":" + values[t] + "}").getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  private static void awaitUntil(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
    final long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "waited in vain for " + what);
      Thread.sleep(100);
    }
  }

  /** The scores read so far, by minute of the dipping sensor. */
  private static Map<Integer, JsonNode> byMinute(List<ConsumerRecord<String, String>> scores) {
    final Map<Integer, JsonNode> out = new TreeMap<>();
    for (ConsumerRecord<String, String> record : scores) {
      final JsonNode score = ScoringRun.parse(record.value());
      out.put((int) ((Timestamps.parse(score.get("timestamp").asText()) - DippingSensor.START) / 60_000L), score);
    }
    return out;
  }

  private static String mark(JsonNode score) {
    return score.has("suppressed") ? score.get("suppressed").asText() : null;
  }

  @Test
  void aChangedRulesFileTakesEffectWithoutARestartAndABadOneIsRefusedKeepingTheRulesBefore(TestKafka kafka,
      @TempDir Path dir) throws Exception {
    final ScoringRun run = new ScoringRun("rules");
    final Path rulesFile = Files.writeString(dir.resolve("rules.txt"), "pump-*  only high\n");
    final Map<String, String> config = run.config(kafka.bootstrapServers(), dir.resolve("state"), 2);
    config.put(AppConfig.RULES_FILE, rulesFile.toString());
    final RecordingObserver reports = new RecordingObserver();
    try (Service service = start(config, reports)) {
      Clients.produce(kafka.bootstrapServers(), run.readings, readings("pump-7", 0, 700));
      Map<Integer, JsonNode> scores = byMinute(Clients.readCommitted(kafka.bootstrapServers(), run.scores, 700, WAIT, Duration.ZERO));
      assertEquals("rule line 1: pump-* only high", mark(scores.get(333)));

      // A typo: refused with its line, the rule before it stays in effect.
      Files.writeString(rulesFile, "pump-*  only high\npump-*  only hihg\n");
      awaitUntil("the bad file refused", () -> reports.rules.size() == 2);
      assertEquals("refused line 2: only takes 'high' or 'low'", reports.rules.get(1));
      Clients.produce(kafka.bootstrapServers(), run.readings, readings("pump-7", 700, 2700));
      scores = byMinute(Clients.readCommitted(kafka.bootstrapServers(), run.scores, 2700, WAIT, Duration.ZERO));
      assertEquals("rule line 1: pump-* only high", mark(scores.get(1332)));

      // Fixed, and turned round: now only departures below alert. The deeper dip does, the rise does not.
      Files.writeString(rulesFile, "pump-*  only low\n");
      awaitUntil("the new file loaded", () -> reports.rules.size() == 3);
      assertEquals(List.of("loaded 1", "loaded 1"), List.of(reports.rules.get(0), reports.rules.get(2)));
      Clients.produce(kafka.bootstrapServers(), run.readings, readings("pump-7", 2700, DippingSensor.LENGTH));
      scores = byMinute(Clients.readCommitted(kafka.bootstrapServers(), run.scores, DippingSensor.LENGTH, WAIT,
          Duration.ofSeconds(1)));
      assertEquals(DippingSensor.LENGTH, scores.size());
      assertEquals(null, mark(scores.get(2752)));
      assertEquals("rule line 1: pump-* only low", mark(scores.get(2990)));
      final List<String> opened = Clients.readCommitted(kafka.bootstrapServers(), run.anomalies, 1, WAIT, Duration.ofSeconds(1))
          .stream().map(event -> ScoringRun.parse(event.value())).filter(event -> event.get("event").asText().equals("opened"))
          .map(event -> event.get("start").asText()).toList();
      assertEquals(List.of(Timestamps.format(DippingSensor.minute(2752))), opened, "only the deeper dip alerted");
    }
  }

  /**
   * Two sensors dip alike; one's dips are labelled normal at minute 1000. Its later dip no longer alerts, its new
   * faults do, the other sensor's dips still do. Replaying the topics gives the same scores, marks and episodes.
   */
  @Test
  void labelsTeachASensorItsBenignDipAndReplayGivesTheLiveOutputs(TestKafka kafka, @TempDir Path dir) throws Exception {
    final ScoringRun run = new ScoringRun("feedback");
    final Path rulesFile = Files.writeString(dir.resolve("rules.txt"),
        "tank-*  maintenance " + Timestamps.format(DippingSensor.minute(2900)) + " " + Timestamps.format(DippingSensor.minute(3000)) + "\n");
    final Map<String, String> config = run.config(kafka.bootstrapServers(), dir.resolve("state"), 3);
    config.put(AppConfig.RULES_FILE, rulesFile.toString());
    final RecordingObserver reports = new RecordingObserver();
    final List<ConsumerRecord<String, String>> liveScores;
    final List<ConsumerRecord<String, String>> liveEvents;
    try (Service service = start(config, reports)) {
      final List<Clients.Message> first = new ArrayList<>(readings("pump-7", 0, 1000));
      first.addAll(readings("tank-1", 0, 1000));
      Clients.produce(kafka.bootstrapServers(), run.readings, first);
      Clients.readCommitted(kafka.bootstrapServers(), run.scores, 2000, WAIT, Duration.ZERO);

      // Given at minute 1000 by its record's time: in effect from pump-7's first reading at or after 1001. A
      // malformed label and an anomaly label of tank-1 go along.
      try (KafkaProducer<String, byte[]> producer = Clients.producer(kafka.bootstrapServers())) {
        producer.send(new ProducerRecord<>(run.feedback, null, DippingSensor.minute(1000), "pump-7",
            DippingSensor.label("pump-7", 300, 1000, "normal").getBytes(StandardCharsets.UTF_8)));
        producer.send(new ProducerRecord<>(run.feedback, null, DippingSensor.minute(1000), "tank-1",
            "{\"sensorId\":\"tank-1\",\"label\":\"normal\"}".getBytes(StandardCharsets.UTF_8)));
        producer.send(new ProducerRecord<>(run.feedback, null, DippingSensor.minute(1000), null,
            DippingSensor.label("tank-1", 100, 200, "anomaly").getBytes(StandardCharsets.UTF_8)));
      }
      // Live, labels come through a repartition; the minute's delay keeps real-time readings behind them. These
      // readings are sent all at once, so wait for the label to reach pump-7's task first, as the delay would.
      awaitUntil("the labels waiting at their sensors' tasks", () -> pending(service, "pump-7") && pending(service, "tank-1"));
      final List<Clients.Message> second = new ArrayList<>(readings("pump-7", 1000, DippingSensor.LENGTH));
      second.addAll(readings("tank-1", 1000, DippingSensor.LENGTH));
      Clients.produce(kafka.bootstrapServers(), run.readings, second);
      liveScores = Clients.readCommitted(kafka.bootstrapServers(), run.scores, 2 * DippingSensor.LENGTH, WAIT,
          Duration.ofSeconds(1));
      liveEvents = Clients.readCommitted(kafka.bootstrapServers(), run.anomalies, 1, WAIT, Duration.ofSeconds(1));
      final List<ConsumerRecord<String, byte[]>> letters =
          Clients.readCommittedBytes(kafka.bootstrapServers(), run.deadLetters, 1, WAIT, Duration.ofSeconds(1));
      assertEquals(1, letters.size());
      assertEquals(DeadLetters.MALFORMED_FEEDBACK,
          new String(letters.get(0).headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8));
    }
    assertEquals(List.of("normal received", "anomaly received", "normal applied", "anomaly applied"),
        reports.feedback.stream().sorted((a, b) -> order(a) - order(b)).toList());

    final Map<String, Map<Integer, JsonNode>> scores = new HashMap<>();
    for (String sensor : List.of("pump-7", "tank-1")) {
      scores.put(sensor, byMinute(liveScores.stream().filter(r -> r.key().equals(sensor)).toList()));
      assertEquals(DippingSensor.LENGTH, scores.get(sensor).size());
    }
    assertEquals("feedback: low departure from the forecast (SUDDEN_ERROR), labelled normal up to 8.046", mark(scores.get("pump-7").get(1332)));
    assertEquals(null, mark(scores.get("tank-1").get(1332)), "the other sensor learned nothing");
    assertTrue(mark(scores.get("tank-1").get(2990)).startsWith("rule line 1: tank-* maintenance"));
    final Map<String, List<String>> liveBySensor = new TreeMap<>();
    final List<String> labelled = new ArrayList<>();
    for (ConsumerRecord<String, String> event : liveEvents) {
      final JsonNode json = ScoringRun.parse(event.value());
      if (json.get("event").asText().equals("labelled")) labelled.add(event.value());
      if (json.has("episodeId")) liveBySensor.computeIfAbsent(event.key(), id -> new ArrayList<>()).add(event.value());
    }
    assertEquals(List.of("{\"event\":\"labelled\",\"sensorId\":\"tank-1\",\"label\":\"anomaly\",\"from\":\""
        + Timestamps.format(DippingSensor.minute(100)) + "\",\"to\":\"" + Timestamps.format(DippingSensor.minute(200)) + "\"}"),
        labelled);
    assertEquals(List.of(333, 2752, 2990), openedAt(liveBySensor.get("pump-7")));
    assertEquals(List.of(333, 1332, 2752), openedAt(liveBySensor.get("tank-1")), "its rise fell in maintenance");

    // The same topics replayed, given the same rules file, give the same scores, marks and episodes.
    final Path properties = dir.resolve("app.properties");
    try (Writer out = Files.newBufferedWriter(properties)) {
      final Properties p = new Properties();
      p.putAll(config);
      p.store(out, null);
    }
    final Path csv = dir.resolve("scores.csv");
    final Path episodes = dir.resolve("episodes.jsonl");
    assertEquals(0, Main.commandLine().execute("replay", "--config", properties.toString(), "--out", csv.toString(),
        "--episodes", episodes.toString()));
    final List<String> rows = Files.readAllLines(csv);
    assertEquals(2 * DippingSensor.LENGTH + 1, rows.size());
    int marked = 0;
    for (String row : rows.subList(1, rows.size())) {
      final String[] cells = row.split(",", 15);
      final JsonNode live = scores.get(cells[0]).get((int) ((Timestamps.parse(cells[1]) - DippingSensor.START) / 60_000L));
      assertEquals(Double.doubleToLongBits(live.get("likelihood").asDouble()), Double.doubleToLongBits(Double.parseDouble(cells[7])), row);
      final String replayedMark = cells[14].isEmpty() ? null : cells[14].replaceAll("^\"|\"$", "").replace("\"\"", "\"");
      assertEquals(mark(live), replayedMark, row);
      if (replayedMark != null) marked++;
    }
    assertEquals(2, marked, "pump-7's dip and tank-1's rise");
    final Map<String, List<String>> replayedBySensor = new TreeMap<>();
    for (String line : Files.readAllLines(episodes)) {
      replayedBySensor.computeIfAbsent(ScoringRun.parse(line).get("sensorId").asText(), id -> new ArrayList<>()).add(line);
    }
    assertEquals(liveBySensor, replayedBySensor);
  }

  private static int order(String report) {
    return List.of("normal received", "anomaly received", "normal applied", "anomaly applied").indexOf(report);
  }

  private static List<Integer> openedAt(List<String> events) {
    return events.stream().map(ScoringRun::parse).filter(e -> e.get("event").asText().equals("opened"))
        .map(e -> (int) ((Timestamps.parse(e.get("start").asText()) - DippingSensor.START) / 60_000L)).toList();
  }

  /** Whether {@code sensorId} has a label waiting in its scoring task's store. */
  private static boolean pending(Service service, String sensorId) {
    try {
      return service.kafkaStreams().store(StoreQueryParameters.fromNameAndType(ScoringTopology.FEEDBACK_PENDING_STORE,
          QueryableStoreTypes.<String, byte[]>keyValueStore())).get(sensorId) != null;
    } catch (InvalidStateStoreException notNow) {
      return false;
    }
  }
}
