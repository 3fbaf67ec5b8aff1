package io.streamlstm.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.streams.ScoringTopology;
import io.streamlstm.streams.UncleanStopCleanup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Kafka Streams clients over a real state directory. None is started (what is tested happens before the start),
 * but their clients connect at construction, so they get the test broker.
 */
@ExtendWith(KafkaExtension.class)
class UncleanStopCleanupIT {

  private static final String APP = "unclean-stop-test";

  @TempDir
  Path stateDir;
  private String bootstrapServers;

  @BeforeEach
  void broker(TestKafka kafka) {
    bootstrapServers = kafka.bootstrapServers();
  }

  @Test
  void aRunThatStoppedCleanlyKeepsItsLocalState() throws IOException {
    final Path task = taskDirectoryWithAStore();
    final UncleanStopCleanup cleanup = new UncleanStopCleanup(settings());
    try (KafkaStreams first = streams()) {
      assertFalse(cleanup.beforeStart(first), "no earlier run: nothing to wipe");
    }
    cleanup.afterCleanClose();
    assertFalse(Files.exists(marker()), "a clean close removes the run's marker");

    try (KafkaStreams second = streams()) {
      assertFalse(cleanup.beforeStart(second));
    }
    assertTrue(Files.exists(task.resolve("store/data")), "a clean stop keeps the task's store");
  }

  @Test
  void aRunThatNeverClosedHasItsTasksWipedAndKeepsItsProcessId() throws IOException {
    final Path task = taskDirectoryWithAStore();
    final UncleanStopCleanup cleanup = new UncleanStopCleanup(settings());
    try (KafkaStreams killed = streams()) {
      cleanup.beforeStart(killed);
    } // as after SIGKILL: afterCleanClose never ran
    final Path processFile = stateDir.resolve(APP).resolve("kafka-streams-process-metadata");
    final String processId = Files.readString(processFile);

    try (KafkaStreams restarted = streams()) {
      assertTrue(cleanup.beforeStart(restarted), "the marker of the run before is still there");
    }
    assertFalse(Files.exists(task), "the task's directory is gone, so its store restores from the changelog");
    assertTrue(Files.exists(processFile) && Files.readString(processFile).equals(processId),
        "the same process id, so the restarted instance fences its old producers");
    assertTrue(Files.exists(marker()), "this run is marked in turn");
  }

  @Test
  void aClientClosedBeforeItStartedLeavesTheLastRunsMarker() throws IOException {
    final Path task = taskDirectoryWithAStore();
    try (KafkaStreams killed = streams()) {
      new UncleanStopCleanup(settings()).beforeStart(killed);
    }
    new UncleanStopCleanup(settings()).afterCleanClose(); // e.g. a start that failed before streams.start()

    final UncleanStopCleanup next = new UncleanStopCleanup(settings());
    try (KafkaStreams restarted = streams()) {
      assertTrue(next.beforeStart(restarted), "the killed run is still known");
    }
    assertFalse(Files.exists(task));
  }

  /** Beside Kafka Streams' directory for the application. */
  private Path marker() {
    return stateDir.resolve(APP + ".running");
  }

  private Path taskDirectoryWithAStore() throws IOException {
    final Path task = Files.createDirectories(stateDir.resolve(APP).resolve("0_0").resolve("store"));
    Files.writeString(task.resolve("data"), "a store's file");
    return task.getParent();
  }

  private Properties settings() {
    final Properties props = ScoringTopology.streamsDefaults();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    return props;
  }

  private KafkaStreams streams() {
    final StreamsBuilder builder = new StreamsBuilder();
    builder.table("input", Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as("store"));
    return new KafkaStreams(builder.build(), settings());
  }
}
