package io.streamlstm.app.soak;

import io.streamlstm.app.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One service instance as deployed, {@code streamlstm run --config FILE} in its own JVM, that can be
 * killed with SIGKILL and started again over the same configuration and state directory.
 */
public final class ServiceProcess implements AutoCloseable {

  /**
   * Kafka settings for instances that are killed on purpose: a dead instance is noticed within seconds,
   * not the default 45 s, and its open transaction is aborted soon, so read_committed readers move on.
   */
  public static final Map<String, String> QUICK_FAILURE_DETECTION = Map.of(
      "session.timeout.ms", "3000",
      "heartbeat.interval.ms", "500",
      "producer.transaction.timeout.ms", "5000");

  private static final Pattern HTTP_PORT = Pattern.compile("https?://[^:/\\s]+:(\\d+)/");
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final Path configFile;
  private final List<String> jvmOptions;
  private JavaProcess process;
  private int httpPort;

  private ServiceProcess(Path configFile, List<String> jvmOptions) {
    this.configFile = configFile;
    this.jvmOptions = jvmOptions;
  }

  /**
   * Writes {@code config} to {@code configFile} and starts the instance; returns once it is RUNNING
   * ({@code /ready} answers 200). Kafka's own logs are kept at WARN.
   */
  public static ServiceProcess start(Map<String, String> config, Path configFile, String maxHeap)
      throws InterruptedException {
    Properties properties = new Properties();
    properties.putAll(config);
    try (Writer out = Files.newBufferedWriter(configFile)) {
      properties.store(out, "streamlstm service instance");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + configFile, e);
    }
    ServiceProcess service = new ServiceProcess(configFile, List.of("--add-modules", "jdk.incubator.vector",
        "-Xmx" + maxHeap, "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn"));
    service.restart();
    return service;
  }

  /** Starts the JVM (again, after {@link #kill()}) and waits until it is RUNNING. */
  public void restart() throws InterruptedException {
    process = JavaProcess.start(Main.class, jvmOptions, "run", "--config", configFile.toString(), "--http-port", "0");
    Matcher m = HTTP_PORT.matcher(process.awaitLine(l -> HTTP_PORT.matcher(l).find(), READY_TIMEOUT));
    if (!m.find()) throw new IllegalStateException("no HTTP port in the service's output");
    httpPort = Integer.parseInt(m.group(1));
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!ready()) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new IllegalStateException("instance not ready within " + READY_TIMEOUT + ":\n" + String.join("\n", lines()));
      }
      Thread.sleep(200);
    }
  }

  /** {@code /ready} answers 200: Kafka Streams is RUNNING, not rebalancing, restoring or failed. */
  public boolean ready() throws InterruptedException {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ready"))
          .timeout(Duration.ofSeconds(5)).build();
      return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException notListening) {
      return false;
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no commit, no flush, an open transaction left behind. */
  public void kill() throws InterruptedException {
    process.kill();
  }

  public List<String> lines() {
    return process.lines();
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
