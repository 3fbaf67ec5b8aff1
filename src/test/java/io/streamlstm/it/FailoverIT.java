package io.streamlstm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.app.soak.ServiceProcess;
import io.streamlstm.detect.simulation.SimulatedReading;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two service instances, each its own JVM ({@code streamlstm run}); one is killed with SIGKILL while
 * readings stream in. The other takes over its partitions, restores their states from the changelog and
 * carries on: with exactly-once, every reading has exactly one committed score, equal to an undisturbed run's.
 */
@ExtendWith(KafkaExtension.class)
class FailoverIT {

  private static final int SENSORS = 8;
  private static final int PER_SENSOR = 400;
  private static final double RATE = 400; // readings/s: 8 s of streaming, the kill lands in the middle

  @Test
  void killedInstanceIsReplacedWithoutLosingOrRepeatingScores(TestKafka kafka, @TempDir Path dir) throws Exception {
    List<SimulatedReading> readings = ScoringRun.simulate(SENSORS, PER_SENSOR, 31);
    ScoringRun run = new ScoringRun("failover");
    kafka.createTopics(4, run.readings, run.scores, run.anomalies, run.deadLetters);

    try (ServiceProcess survivor = startInstance(run, kafka, dir, "a");
        ServiceProcess victim = startInstance(run, kafka, dir, "b")) {

      List<String> sendFailures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      try (KafkaProducer<String, byte[]> producer = Clients.producer(kafka.bootstrapServers())) {
        long start = System.nanoTime();
        boolean killed = false;
        for (int n = 0; n < readings.size(); n++) {
          long due = start + (long) (n * 1e9 / RATE);
          long wait = due - System.nanoTime();
          if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          SimulatedReading r = readings.get(n);
          producer.send(new ProducerRecord<>(run.readings, r.sensorId(), io.streamlstm.app.SimulateCommand.toJson(r)),
              (metadata, error) -> {
                if (error != null) sendFailures.add(r.sensorId() + "@" + r.timestampMillis() + ": " + error);
              });
          if (!killed && n == readings.size() / 2) {
            producer.flush();
            long committedBefore = committedInput(kafka, run);
            assertTrue(committedBefore > 0, "the instances were scoring before the kill");
            victim.kill();
            killed = true;
          }
        }
        producer.flush();
      }
      assertEquals(List.of(), sendFailures, "readings the broker refused (the test's own producer)");

      List<ConsumerRecord<String, String>> scores = Clients.readCommitted(kafka.bootstrapServers(), run.scores,
          readings.size(), Duration.ofSeconds(150), Duration.ofSeconds(3));

      if (scores.size() != readings.size()) {
        // Say where the missing readings went, so a failure tells lost records from refused ones.
        List<String> deadLetters = Clients.readCommittedBytes(kafka.bootstrapServers(), run.deadLetters, 0,
                Duration.ofSeconds(1), Duration.ofSeconds(3)).stream()
            .map(r -> r.key() + " " + new String(r.headers().lastHeader("streamlstm.dlq.reason").value())
                + ": " + new String(r.headers().lastHeader("streamlstm.dlq.detail").value()))
            .toList();
        java.util.Set<String> scored = new java.util.HashSet<>();
        scores.forEach(s -> scored.add(s.key() + "@" + s.value().replaceAll(".*\"timestamp\":\"([^\"]+)\".*", "$1")));
        List<String> missing = readings.stream()
            .map(r -> r.sensorId() + "@" + java.time.Instant.ofEpochMilli(r.timestampMillis()))
            .filter(k -> !scored.contains(k)).toList();
        assertEquals(readings.size(), scores.size(), "one committed score per reading, none lost, none repeated; "
            + "missing " + missing + "; dead letters " + deadLetters);
      }
      ScoringRun.assertSameScores(ScoringRun.offlineScores(readings), ScoringRun.byReading(scores));
      assertTrue(survivor.lines().stream().noneMatch(l -> l.contains("Kafka Streams") && l.contains("-> ERROR")),
          "the survivor kept running");
    }
  }

  /** A service JVM as deployed: {@code streamlstm run --config FILE}, its own state directory. */
  private static ServiceProcess startInstance(ScoringRun run, TestKafka kafka, Path dir, String name) throws Exception {
    Map<String, String> config = new LinkedHashMap<>(
        run.config(kafka.bootstrapServers(), Files.createDirectories(dir.resolve(name)), 4));
    config.putAll(ServiceProcess.QUICK_FAILURE_DETECTION);
    return ServiceProcess.start(config, dir.resolve(name + ".properties"), "384m");
  }

  /** Input records whose processing the instances have committed so far. */
  private static long committedInput(TestKafka kafka, ScoringRun run) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      long sum = 0;
      for (Map.Entry<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> e :
          admin.listConsumerGroupOffsets(run.name).partitionsToOffsetAndMetadata().get().entrySet()) {
        if (e.getKey().topic().equals(run.readings) && e.getValue() != null) sum += e.getValue().offset();
      }
      return sum;
    }
  }
}
