package io.streamlstm.it;

import io.streamlstm.app.soak.JavaProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlstm.app.Main;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's first command: {@code java -jar target/streamlstm.jar demo --duration ...} in a fresh JVM
 * starts its own broker, scores every simulated reading, prints anomaly episodes and stops by itself. Runs the
 * packaged jar when there is one (failsafe runs after {@code package}), else the same main class.
 */
class DemoCommandIT {

  private static final Pattern SUMMARY =
      Pattern.compile("Sent (\\d+) readings; anomaly-scores: (\\d+) scores; anomalies: (\\d+) episodes in (\\d+) events");

  private static final Pattern HEALTH = Pattern.compile("http://localhost:(\\d+)/health");

  /** The demo's /metrics once the service has scored something (the simulator starts after the service). */
  private static String scrapeOnceScored(URI metrics) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String body = "";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      body = response.body();
      if (body.contains("streamlstm_readings_scored_total")) return body;
      Thread.sleep(500);
    }
    return body;
  }

  /** How many sensors the demo's live page lists, once it lists all ten the demo simulates (or 60 s passed). */
  private static int sensorsOnTheLivePage(String base) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("StreamLSTM"), page.body());
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    int sensors = 0;
    while (sensors < 10 && System.nanoTime() < deadline) {
      String fleet = http.send(HttpRequest.newBuilder(URI.create(base + "/api/fleet")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      sensors = new ObjectMapper().readTree(fleet).get("sensors").size();
      if (sensors < 10) Thread.sleep(500);
    }
    return sensors;
  }

  @Test
  void demoScoresEverySimulatedReadingAndPrintsEachEpisodeEvent() throws Exception {
    List<String> jvm = List.of("--add-modules", "jdk.incubator.vector", "-Xmx768m");
    JavaProcess demo = start(jvm, "demo", "--duration", "40", "--kafka-port", "0", "--http-port", "0", "--faults");

    String started = demo.awaitLine(l -> HEALTH.matcher(l).find(), Duration.ofSeconds(120));
    Matcher url = HEALTH.matcher(started);
    assertTrue(url.find());
    String metrics = scrapeOnceScored(URI.create("http://localhost:" + url.group(1) + "/metrics"));
    assertTrue(metrics.contains("streamlstm_readings_scored_total"), metrics);
    assertTrue(started.contains("live page on http://localhost:" + url.group(1) + "/"), started);
    assertEquals(10, sensorsOnTheLivePage("http://localhost:" + url.group(1)), "the demo's 10 sensors on its page");

    int exit = demo.awaitExit(Duration.ofSeconds(180));
    String output = String.join("\n", demo.lines());

    assertEquals(0, exit, output);
    assertTrue(output.contains("Kafka broker on 127.0.0.1:"), output);
    Matcher summary = SUMMARY.matcher(output);
    assertTrue(summary.find(), output);
    long sent = Long.parseLong(summary.group(1));
    assertTrue(sent > 5000, "readings sent: " + sent);
    assertEquals(sent, Long.parseLong(summary.group(2)), "every reading scored:\n" + output);
    long episodes = Long.parseLong(summary.group(3));
    assertTrue(episodes > 0, "faults are injected, some must be found:\n" + output);
    assertEquals(episodes, demo.lines().stream().filter(l -> l.startsWith("EPISODE opened ")).count(), output);
    assertEquals(Long.parseLong(summary.group(4)), demo.lines().stream().filter(l -> l.startsWith("EPISODE ")).count(),
        output);
    assertTrue(output.contains("Injected faults: "), output);

    // The same readings offline give the same episodes and the same summary: what BENCHMARKS.md measures offline
    // is what the demo shows.
    JavaProcess offline = start(jvm, "demo", "--offline", "--duration", Double.toString(sent / 500.0), "--rate", "500",
        "--faults");
    assertEquals(0, offline.awaitExit(Duration.ofSeconds(120)));
    String offlineLines = String.join("\n", offline.lines());
    assertEquals(lineStarting(output, "Sent "), lineStarting(offlineLines, "Sent "), offlineLines);
    assertEquals(lineStarting(output, "Injected faults: "), lineStarting(offlineLines, "Injected faults: "), offlineLines);
    // Each fault's peak score, read back from the scores topic, is the offline detector's to the printed digit.
    List<String> faultLines = faultLines(demo.lines());
    assertFalse(faultLines.isEmpty(), output);
    assertEquals(faultLines, faultLines(offline.lines()));
  }

  private static List<String> faultLines(List<String> lines) {
    return lines.stream().filter(l -> l.startsWith("FAULT ") || l.startsWith("OUTSIDE ")).toList();
  }

  /** The packaged jar when there is one (failsafe runs after {@code package}), else the same main class. */
  private static JavaProcess start(List<String> jvm, String... args) throws Exception {
    Path jar = Path.of("target", "streamlstm.jar");
    if (!Files.exists(jar)) return JavaProcess.start(Main.class, jvm, args);
    List<String> command = new ArrayList<>(List.of(JavaProcess.java()));
    command.addAll(jvm);
    command.addAll(List.of("-jar", jar.toString()));
    command.addAll(List.of(args));
    return JavaProcess.start(command);
  }

  private static String lineStarting(String text, String start) {
    return text.lines().filter(l -> l.startsWith(start)).findFirst().orElse("none starting with " + start);
  }
}
