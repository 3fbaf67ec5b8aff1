package io.streamlstm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlstm.app.Main;
import io.streamlstm.detect.simulation.SimulatedReading;
import io.streamlstm.detect.simulation.Simulation;
import io.streamlstm.streams.Timestamps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code streamlstm simulate} writes the simulation's readings, in order, as the service's JSON, keyed by sensor. */
@ExtendWith(KafkaExtension.class)
class SimulateCommandIT {

  @Test
  void writesTheSeededReadingsAndTheirGroundTruth(TestKafka kafka, @TempDir Path dir) throws Exception {
    String topic = Clients.uniqueName("readings");
    kafka.createTopics(1, topic);
    Path truth = dir.resolve("truth.csv");

    int exit = Main.commandLine().execute("simulate", "--bootstrap-server", kafka.bootstrapServers(),
        "--topic", topic, "--sensors", "3", "--rate", "0", "--count", "3000", "--seed", "5",
        "--truth", truth.toString());

    assertEquals(0, exit);
    List<ConsumerRecord<String, String>> records =
        Clients.readCommitted(kafka.bootstrapServers(), topic, 3000, Duration.ofSeconds(60), Duration.ZERO);
    assertEquals(3000, records.size());
    Simulation expected = new Simulation(3, 5);
    ObjectMapper json = new ObjectMapper();
    for (ConsumerRecord<String, String> record : records) {
      SimulatedReading reading = expected.next();
      JsonNode node = json.readTree(record.value());
      assertEquals(reading.sensorId(), record.key());
      assertEquals(reading.sensorId(), node.get("sensorId").asText());
      assertEquals(reading.timestampMillis(), Timestamps.parse(node.get("timestamp").asText()));
      assertEquals(reading.value(), node.get("value").asDouble());
    }
    List<String> truthLines = Files.readAllLines(truth);
    assertEquals(expected.groundTruth().size() + 1, truthLines.size());
    assertTrue(truthLines.size() > 1, "1000 readings per sensor contain at least one fault");
  }
}
