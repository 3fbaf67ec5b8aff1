package io.streamlstm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlstm.app.AppConfig;
import io.streamlstm.app.Service;
import io.streamlstm.app.web.LivePage;
import io.streamlstm.detect.simulation.SimulatedReading;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances share the scoring (one application id, four partitions) and each serves the live page: each
 * page shows every sensor, also those the other instance scores, because the page reads the output topics.
 */
@ExtendWith(KafkaExtension.class)
class LivePageInstancesIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path stateA;
  @TempDir Path stateB;

  private static JsonNode fleet(HttpClient http, Service service) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + service.httpPort() + "/api/fleet")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }

  private static Set<String> sensorIds(JsonNode fleet) {
    Set<String> ids = new TreeSet<>();
    fleet.get("sensors").forEach(s -> ids.add(s.get("id").asText()));
    return ids;
  }

  @Test
  void eachInstancesPageShowsEverySensor(TestKafka kafka) throws Exception {
    ScoringRun run = new ScoringRun("live-page-instances");
    Map<String, String> configA = run.config(kafka.bootstrapServers(), stateA, 4);
    Map<String, String> configB = run.config(kafka.bootstrapServers(), stateB, 4);
    List<SimulatedReading> readings = ScoringRun.simulate(12, 150, 7);
    Set<String> sensors = readings.stream().map(SimulatedReading::sensorId).collect(Collectors.toCollection(TreeSet::new));
    HttpClient http = HttpClient.newHttpClient();
    try (Service a = ScoringRun.startService(configA); LivePage pageA = LivePage.serve(a, AppConfig.from(configA));
         Service b = ScoringRun.startService(configB); LivePage pageB = LivePage.serve(b, AppConfig.from(configB))) {
      awaitBothRunning(a, b);
      Clients.produce(kafka.bootstrapServers(), run.readings, ScoringRun.records(readings));

      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (fleet(http, a).get("readings").asLong() < readings.size()
          || fleet(http, b).get("readings").asLong() < readings.size()) {
        assertTrue(System.nanoTime() < deadline, "the pages did not read every score within 90 s");
        Thread.sleep(200);
      }
      assertEquals(sensors, sensorIds(fleet(http, a)), "instance A's page");
      assertEquals(sensors, sensorIds(fleet(http, b)), "instance B's page");
      assertEquals(readings.size(), fleet(http, a).get("readings").asLong(), "each score once");

      Long storedA = a.sensorCount();
      Long storedB = b.sensorCount();
      assertTrue(storedA != null && storedB != null && storedA > 0 && storedB > 0
              && storedA + storedB == sensors.size(),
          "both instances score a share of the sensors: " + storedA + " and " + storedB);
    }
  }

  /** The second instance's join rebalances the first: wait until both are RUNNING with their shares. */
  private static void awaitBothRunning(Service a, Service b) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (a.state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING
        || b.state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING) {
      assertTrue(System.nanoTime() < deadline, "not both RUNNING: " + a.state() + ", " + b.state());
      Thread.sleep(50);
    }
  }
}
