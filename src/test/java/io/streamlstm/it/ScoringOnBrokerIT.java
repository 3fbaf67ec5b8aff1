package io.streamlstm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlstm.app.Service;
import io.streamlstm.detect.simulation.SimulatedReading;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on a real broker, exactly-once: one score per accepted reading (read_committed), and those
 * scores equal the offline Detector's bit for bit. One run serves both tests.
 */
@ExtendWith(KafkaExtension.class)
class ScoringOnBrokerIT {

  private static final int SENSORS = 6;
  private static final int PER_SENSOR = 400;

  private static List<SimulatedReading> readings;
  private static ScoringRun run;
  private static Service service;
  private static List<ConsumerRecord<String, String>> scores;
  private static List<ConsumerRecord<String, String>> deadLetters;

  @BeforeAll
  static void scoreSimulatedReadings(TestKafka kafka, @TempDir Path stateDir) throws Exception {
    readings = ScoringRun.simulate(SENSORS, PER_SENSOR, 17);
    run = new ScoringRun("e2e");
    service = ScoringRun.startService(run.config(kafka.bootstrapServers(), stateDir, 3));
    Clients.produce(kafka.bootstrapServers(), run.readings, ScoringRun.records(readings));
    scores = Clients.readCommitted(kafka.bootstrapServers(), run.scores, readings.size(), Duration.ofSeconds(120),
        Duration.ofSeconds(2));
    deadLetters = Clients.readCommitted(kafka.bootstrapServers(), run.deadLetters, 0, Duration.ZERO, Duration.ofSeconds(1));
  }

  @AfterAll
  static void stop() {
    if (service != null) service.close();
  }

  @Test
  void everyReadingHasExactlyOneCommittedScore() {
    assertEquals(readings.size(), scores.size(), "scores read with read_committed");
    Map<String, JsonNode> byReading = ScoringRun.byReading(scores);
    for (SimulatedReading r : readings) {
      assertTrue(byReading.containsKey(ScoringRun.at(r.sensorId(), r.timestampMillis())), "no score for " + r);
    }
    assertEquals(List.of(), deadLetters.stream().map(ConsumerRecord::value).toList());
  }

  @Test
  void streamScoresEqualTheOfflineDetectorBitForBit() {
    ScoringRun.assertSameScores(ScoringRun.offlineScores(readings), ScoringRun.byReading(scores));
  }

  @Test
  void serviceIsHealthyAndReady() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String path : List.of("/health", "/ready")) {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), path + " answered " + response.body());
    }
  }
}
