package io.streamlstm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamlstm.app.Service;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A running service's {@code /metrics}, read over HTTP as Prometheus reads it, and series looked up in it. */
final class MetricsText {

  private MetricsText() {}

  static String scrape(Service service) throws Exception {
    final URI metrics = URI.create("http://127.0.0.1:" + service.httpPort() + "/metrics");
    final HttpResponse<String> response = HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    return response.body();
  }

  /** The value of the series {@code seriesRegex} (name and labels, as exported), e.g. {@code a_total\{model="x"}}. */
  static double value(String text, String seriesRegex) {
    final Double value = valueOrNull(text, seriesRegex);
    if (value == null) throw new AssertionError("no series " + seriesRegex + " in:\n" + text);
    return value;
  }

  /** Waits until the series {@code seriesRegex} has {@code value}; returns the text it was seen in. */
  static String await(Service service, String seriesRegex, double value, Duration timeout) throws Exception {
    final long deadline = System.nanoTime() + timeout.toNanos();
    String text;
    do {
      text = scrape(service);
      final Double now = valueOrNull(text, seriesRegex);
      if (now != null && now == value) return text;
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("series " + seriesRegex + " never " + value + " in:\n" + text);
  }

  private static Double valueOrNull(String text, String seriesRegex) {
    final Matcher m = Pattern.compile("(?m)^" + seriesRegex + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : null;
  }
}
