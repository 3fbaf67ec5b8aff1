package io.streamlstm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlstm.app.Main;
import io.streamlstm.app.Service;
import io.streamlstm.detect.simulation.SimulatedReading;
import io.streamlstm.lstm.Model;
import io.streamlstm.lstm.ModelFile;
import io.streamlstm.lstm.Models;
import io.streamlstm.lstm.Network;
import io.streamlstm.streams.Timestamps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code model publish} and {@code replay} against a real broker: a published model is what the service
 * scores with, and replaying the readings topic from its start gives the live scores bit for bit, with
 * the model the service used (found on the model topic, not the shipped one), and the live episode events
 * byte for byte.
 */
@ExtendWith(KafkaExtension.class)
class ReplayCommandIT {

  @Test
  void replayFromTheStartReproducesTheLiveScoresOfAPublishedModel(TestKafka kafka, @TempDir Path dir)
      throws Exception {
    final List<SimulatedReading> readings = spikedAt200th(ScoringRun.simulate(4, 250, 23));
    final ScoringRun run = new ScoringRun("replay");
    final Map<String, String> config = run.config(kafka.bootstrapServers(), dir.resolve("state"), 3);
    final Path properties = ScoringRun.propertiesFile(dir, config);

    final Model shipped = Models.loadDefault();
    final Path modelFile = dir.resolve("published.lstm");
    final Model published = ModelFile.write(modelFile, Network.initialise(shipped.network().architecture(), 5),
        shipped.normalisation(), Map.of("purpose", "replay test"));
    assertNotEquals(shipped.version(), published.version());
    assertEquals(0, Main.commandLine().execute("model", "publish", modelFile.toString(), "--config", properties.toString()));

    final Service service = ScoringRun.startService(config);
    final List<JsonNode> live = new ArrayList<>();
    final List<ConsumerRecord<String, String>> liveEpisodes;
    try {
      final List<Clients.Message> records = new ArrayList<>(ScoringRun.records(readings));
      records.add(100, new Clients.Message("sensor-1", "not json".getBytes(StandardCharsets.UTF_8)));
      Clients.produce(kafka.bootstrapServers(), run.readings, records);
      Clients.readCommitted(kafka.bootstrapServers(), run.scores, readings.size(), Duration.ofSeconds(120),
          Duration.ofSeconds(1)).forEach(record -> live.add(ScoringRun.parse(record.value())));
      // Episode events commit in the transactions of the scores: all of them are readable by now.
      liveEpisodes = Clients.readCommitted(kafka.bootstrapServers(), run.anomalies, 1, Duration.ofSeconds(30),
          Duration.ofSeconds(2));
    } finally {
      service.close();
    }
    assertEquals(readings.size(), live.size());

    final Path csv = dir.resolve("scores.csv");
    final Path report = dir.resolve("report.html");
    final Path episodes = dir.resolve("episodes.jsonl");
    assertEquals(0, Main.commandLine().execute("replay", "--config", properties.toString(), "--out", csv.toString(),
        "--report", report.toString(), "--episodes", episodes.toString()));

    // Sensors' events interleave differently across partitions; each sensor's own sequence must be the same.
    final Map<String, List<String>> replayedBySensor = new TreeMap<>();
    for (String line : Files.readAllLines(episodes)) {
      replayedBySensor.computeIfAbsent(ScoringRun.parse(line).get("sensorId").asText(), id -> new ArrayList<>()).add(line);
    }
    final Map<String, List<String>> liveBySensor = new TreeMap<>();
    for (ConsumerRecord<String, String> event : liveEpisodes) {
      // Silences are told by the wall clock, which a replay has not: only the episodes must match.
      if (!ScoringRun.parse(event.value()).has("episodeId")) continue;
      liveBySensor.computeIfAbsent(event.key(), id -> new ArrayList<>()).add(event.value());
    }
    assertEquals(4, liveBySensor.size(), "every sensor's spike opens an episode");
    assertEquals(liveBySensor, replayedBySensor);

    final List<String> lines = Files.readAllLines(csv);
    assertEquals("sensor,timestamp,channel,value,expected,lower,upper,likelihood,surprise,reason,anomaly,warmingUp,model,"
        + "modelVersion,suppressed", lines.get(0));
    assertEquals(readings.size(), lines.size() - 1, "one row per scored reading; the bad record is refused");
    final Map<String, JsonNode> byReading = new HashMap<>();
    for (JsonNode score : live) {
      byReading.put(ScoringRun.at(score.get("sensorId").asText(), Timestamps.parse(score.get("timestamp").asText())), score);
    }
    for (String line : lines.subList(1, lines.size())) {
      final String[] cells = line.split(",");
      final JsonNode score = byReading.get(ScoringRun.at(cells[0], Timestamps.parse(cells[1])));
      assertTrue(score != null, "replay scored a reading the service did not: " + line);
      assertBits(score.get("value"), cells[3], line);
      assertBits(score.get("expected"), cells[4], line);
      assertBits(score.get("lower"), cells[5], line);
      assertBits(score.get("upper"), cells[6], line);
      assertBits(score.get("likelihood"), cells[7], line);
      assertBits(score.get("surprise"), cells[8], line);
      assertEquals(score.get("reason").asText(), cells[9], line);
      assertEquals(score.get("anomaly").asText(), cells[10], line);
      assertEquals(score.get("model").asText(), cells[12], line);
      assertEquals(published.version(), cells[13], line);
      assertEquals(published.version(), score.get("modelVersion").asText(), line);
    }
    for (int sensor = 0; sensor < 4; sensor++) {
      final Path page = dir.resolve("report-" + readings.get(sensor).sensorId() + ".html");
      assertTrue(Files.readString(page).contains("window.StreamCharts"), page + " is a report with charts");
    }
  }

  /** The readings with each sensor's 200th raised by 1000, past its warm-up: every sensor opens an episode. */
  private static List<SimulatedReading> spikedAt200th(List<SimulatedReading> readings) {
    final Map<String, Integer> seen = new HashMap<>();
    final List<SimulatedReading> out = new ArrayList<>(readings.size());
    for (SimulatedReading r : readings) {
      final boolean spike = seen.merge(r.sensorId(), 1, Integer::sum) == 200;
      out.add(spike ? new SimulatedReading(r.sensorId(), r.timestampMillis(), r.value() + 1000, true) : r);
    }
    return out;
  }

  /** A JSON number (null for not finite) and a CSV cell (Double.toString) hold the same double. */
  private static void assertBits(JsonNode live, String replayed, String line) {
    final double replayedValue = Double.parseDouble(replayed);
    if (live.isNull()) {
      assertTrue(!Double.isFinite(replayedValue), line);
    } else {
      assertEquals(Double.doubleToLongBits(live.asDouble()), Double.doubleToLongBits(replayedValue), line);
    }
  }
}
