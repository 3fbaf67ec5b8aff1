package io.streamlstm.ops;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * The real {@code prometheus} binary as a child process, scraping one target every second and
 * evaluating a rules file; queried over its HTTP API.
 */
final class PrometheusServer implements AutoCloseable {

  private final Process process;
  private final URI base;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusServer(Process process, URI base, Path log) {
    this.process = process;
    this.base = base;
    this.log = log;
  }

  /**
   * {@code prometheus} or {@code promtool} from PATH. CI installs them (.ci/run), so a missing binary
   * is a failure, not a skip.
   */
  static Path binary(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(name + " is not on PATH: install it (apt-get install -y prometheus), as .ci/run does");
  }

  static PrometheusServer start(Path workDir, String target, Path rulesFile) throws IOException, InterruptedException {
    Path config = workDir.resolve("prometheus.yml");
    Files.writeString(config, """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files:
          - %s
        scrape_configs:
          - job_name: streamlstm
            metrics_path: /metrics
            static_configs:
              - targets: ["%s"]
        """.formatted(rulesFile.toAbsolutePath(), target));
    int port = freePort();
    Path log = workDir.resolve("prometheus.log");
    Process process = new ProcessBuilder(binary("prometheus").toString(),
        "--config.file=" + config,
        "--storage.tsdb.path=" + workDir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port), log);
    server.awaitReady(Duration.ofSeconds(30));
    return server;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("prometheus exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        if (send("/-/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("prometheus not ready within " + timeout + ":\n" + log());
  }

  private HttpResponse<String> send(String pathAndQuery) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GET on the HTTP API; the {@code data} of a successful answer, an AssertionError with Prometheus' error otherwise. */
  JsonNode api(String path, String... params) throws IOException, InterruptedException {
    StringBuilder query = new StringBuilder(path);
    for (int i = 0; i < params.length; i += 2) {
      query.append(i == 0 ? '?' : '&').append(params[i]).append('=')
          .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
    }
    HttpResponse<String> response = send(query.toString());
    JsonNode body = DeployFiles.JSON.readTree(response.body());
    if (!"success".equals(body.path("status").asString())) {
      throw new AssertionError(path + " " + String.join(" ", params) + ": " + body.path("errorType").asString()
          + ": " + body.path("error").asString());
    }
    return body.get("data");
  }

  /** The result vector of an instant query (empty when it has no data). */
  JsonNode query(String promql) throws IOException, InterruptedException {
    return api("/api/v1/query", "query", promql).get("result");
  }

  String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
