package io.streamlstm.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wipes an instance's local task state at start when its previous run did not stop cleanly (killed, out of memory,
 * power lost), so every task restores from its changelog at once.
 *
 * <p>Why: under exactly-once, a store a crash left behind may hold uncommitted writes, so Kafka Streams declares its
 * task corrupted when it next opens it, which may be long after the restart, when the task comes back to this
 * instance. Kafka Streams 4.4 then closes that task dirty, which aborts the transaction the stream thread shares with
 * its other tasks; while a rebalance is in progress it does not commit them first, and it never rewinds them. They go
 * on past readings whose scores were aborted (BENCHMARKS.md "Lost scores"). With no such store left, that never
 * starts. A marker file beside the state directory says a run is in progress; a clean close removes it.
 */
public final class UncleanStopCleanup {

  private static final Logger LOG = LoggerFactory.getLogger(UncleanStopCleanup.class);

  private final Path marker;
  private final String applicationId;
  /** Whether this run set the marker: a client closed before it started must not clear the last run's. */
  private boolean marked;

  /** For the application id and state directory of these Kafka Streams settings (Kafka's default directory if unset). */
  public UncleanStopCleanup(Properties streamsSettings) {
    final StreamsConfig config = new StreamsConfig(streamsSettings);
    this.applicationId = config.getString(StreamsConfig.APPLICATION_ID_CONFIG);
    // Beside Kafka Streams' own directory for the application, not in it: its cleanUp() leaves only its own files.
    this.marker = Path.of(config.getString(StreamsConfig.STATE_DIR_CONFIG)).resolve(applicationId + ".running");
  }

  /**
   * Call before {@code streams.start()}: if the previous run left its marker, wipes the local task state
   * ({@link KafkaStreams#cleanUp()}, which keeps the process id, so the restarted instance still fences its old
   * producers at once); then sets the marker for this run.
   *
   * @return whether the state was wiped
   */
  public boolean beforeStart(KafkaStreams streams) {
    final boolean unclean = Files.exists(marker);
    if (unclean) {
      LOG.warn("The last run of {} did not stop cleanly: its local state is wiped and restored from the changelogs",
          applicationId);
      streams.cleanUp();
    }
    try {
      Files.createDirectories(marker.getParent());
      Files.writeString(marker, "A StreamLSTM instance runs on this state directory.\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + marker, e);
    }
    marked = true;
    return unclean;
  }

  /** Call when Kafka Streams closed within its timeout: the next start keeps the local state. */
  public void afterCleanClose() {
    if (!marked) return;
    try {
      Files.deleteIfExists(marker);
    } catch (IOException e) {
      LOG.warn("Could not remove {}: the next start will restore all local state", marker, e);
    }
  }
}
