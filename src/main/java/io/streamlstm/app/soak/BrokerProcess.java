package io.streamlstm.app.soak;

import io.streamlstm.app.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A single-node broker in its own JVM ({@link EmbeddedKafka#main}) on ports fixed at creation, over a log
 * directory that outlives it, so it can be stopped and started again as the same broker.
 */
public final class BrokerProcess implements AutoCloseable {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final int port = EmbeddedKafka.freePort();
  private final int controllerPort = EmbeddedKafka.freePort();
  private final Path logDir;
  private JavaProcess process;

  /** Starts the broker and returns once it serves clients. */
  public BrokerProcess(Path logDir) throws InterruptedException {
    this.logDir = logDir;
    start();
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** SIGTERM (a clean stop, as a rolling restart does), then the same broker again. */
  public void restart() throws InterruptedException {
    process.close();
    start();
  }

  private void start() throws InterruptedException {
    process = JavaProcess.start(EmbeddedKafka.class, List.of("-Xmx1g"),
        Integer.toString(port), Integer.toString(controllerPort), logDir.toString());
    process.awaitLine(line -> line.startsWith("READY "), READY_TIMEOUT);
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
