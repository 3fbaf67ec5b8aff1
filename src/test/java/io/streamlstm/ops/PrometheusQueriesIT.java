package io.streamlstm.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.app.AppConfig;
import io.streamlstm.app.EmbeddedKafka;
import io.streamlstm.app.Main;
import io.streamlstm.app.Service;
import io.streamlstm.app.metrics.Metrics;
import io.streamlstm.app.metrics.MetricsConfig;
import io.streamlstm.streams.StreamSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real Prometheus scraping a real detector — Kafka Streams scoring simulated readings from an
 * in-process broker — and every PromQL expression of the dashboards and alert rules answered with data.
 */
class PrometheusQueriesIT {

  private static final String SENSOR = "sensor-0";
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @Test
  void everyDashboardAndAlertExpressionReturnsData(@TempDir Path work) throws Exception {
    PrometheusServer.binary("prometheus"); // fail first, and clearly, where it is not installed
    StreamSettings topics = StreamSettings.defaults();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      AppConfig config = AppConfig.from(Map.of(
          "bootstrap.servers", kafka.bootstrapServers(),
          "state.dir", work.resolve("state").toString(),
          "commit.interval.ms", "200",
          AppConfig.TOPIC_PARTITIONS, "2"));
      // As `run --metrics-sensors sensor-0 --metrics-top-sensors 3` wires it, with Kafka Streams'
      // task and RocksDB metrics re-read every second instead of every ten.
      Metrics metrics = new Metrics(new MetricsConfig(Set.of(SENSOR), 3, Duration.ofMinutes(10), Duration.ofMinutes(1),
          Duration.ofSeconds(1)));
      try (metrics; Service service = Service.create(config, metrics.observer(), 0)) {
        metrics.bindTo(service);
        service.start();

        // Readings of ten simulated sensors, through the demo's own command.
        assertEquals(0, Main.commandLine().execute("simulate", "--bootstrap-server", kafka.bootstrapServers(),
            "--topic", topics.inputTopic(), "--sensors", "10", "--count", "2000", "--rate", "0"));
        // A reading that is not JSON (dead-lettered) and a model record that is not a model (refused).
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
            new StringSerializer(), new ByteArraySerializer())) {
          producer.send(new ProducerRecord<>(topics.inputTopic(), SENSOR, "not json".getBytes(StandardCharsets.UTF_8)));
          producer.send(new ProducerRecord<>(topics.modelTopic(), topics.modelName(), new byte[] {1, 2, 3}));
        }

        try (PrometheusServer prometheus = PrometheusServer.start(work, "127.0.0.1:" + service.httpPort(),
            DeployFiles.path("deploy/prometheus/alerts.yml"))) {
          List<String> failing = awaitAllAnswered(prometheus);
          assertTrue(failing.isEmpty(), "expressions without data after " + DEADLINE + ":\n" + String.join("\n", failing));

          // The things the queries exercised really happened.
          assertTrue(awaitAtLeast(prometheus, "sum(streamlstm_readings_scored_total)", 1000));
          assertTrue(awaitAtLeast(prometheus, "sum(streamlstm_dead_letters_total{reason=\"malformed\"})", 1));
          assertTrue(awaitAtLeast(prometheus, "sum(streamlstm_model_refusals_total)", 1));
          // Exactly the ten simulated sensors: the malformed reading created no state.
          assertTrue(awaitAtLeast(prometheus, "sum(streamlstm_sensors)", 10));
          assertEquals(10, value(prometheus, "sum(streamlstm_sensors)"), "sensors in the store");
          assertTrue(value(prometheus, "count(streamlstm_sensor_likelihood)") <= 4, "allow-list plus top-3 at most");

          JsonNode rules = prometheus.api("/api/v1/rules").get("groups").get(0).get("rules");
          assertEquals(PromQueries.alerts().size(), rules.size(), "every alert rule loaded");
          for (JsonNode rule : rules) {
            assertEquals("ok", rule.get("health").asString(), rule.get("name") + ": " + rule.path("lastError"));
          }
        }
      }
    }
  }

  /** Polls until every expression has data (metrics appear as scrapes and rate windows fill), or the deadline. */
  private static List<String> awaitAllAnswered(PrometheusServer prometheus) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    List<String> failing;
    do {
      failing = unanswered(prometheus);
      if (failing.isEmpty()) {
        break;
      }
      Thread.sleep(2_000);
    } while (System.nanoTime() < deadline);
    return failing;
  }

  private static List<String> unanswered(PrometheusServer prometheus) throws Exception {
    List<String> failing = new ArrayList<>();
    for (PromQueries.Query q : PromQueries.dashboards()) {
      String expr = PromQueries.resolve(q.expr(), SENSOR);
      // An annotation is a condition (anomaly markers): its operand must have data, the markers need not.
      check(prometheus, q.where(), PromQueries.isCondition(expr) ? PromQueries.operand(expr) : expr, failing);
    }
    for (PromQueries.Query q : PromQueries.alerts()) {
      check(prometheus, q.where(), PromQueries.operand(q.expr()), failing);
      for (String selector : PromQueries.selectors(q.expr())) {
        check(prometheus, q.where() + " selector", selector, failing);
      }
    }
    for (Map.Entry<String, String> variable : PromQueries.labelValueVariables()) {
      JsonNode values = prometheus.api("/api/v1/label/" + variable.getValue() + "/values", "match[]", variable.getKey());
      if (!values.toString().contains("\"" + SENSOR + "\"")) {
        failing.add("variable label_values(" + variable.getKey() + ", " + variable.getValue() + "): " + values);
      }
    }
    return failing;
  }

  private static void check(PrometheusServer prometheus, String where, String expr, List<String> failing) throws Exception {
    try {
      if (prometheus.query(expr).isEmpty()) {
        failing.add(where + ": no data: " + expr);
      }
    } catch (AssertionError rejected) {
      failing.add(where + ": rejected: " + rejected.getMessage()); // a syntax error never heals: reported at the deadline
    }
  }

  /**
   * Whether {@code expr} reaches {@code least} before the deadline (scoring goes on while we query). No data
   * counts as not yet: on a loaded machine a scrape can time out, and Prometheus then marks the series stale.
   */
  private static boolean awaitAtLeast(PrometheusServer prometheus, String expr, double least) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    double last;
    do {
      JsonNode result = prometheus.query(expr);
      last = result.isEmpty() ? Double.NaN : number(expr, result);
      if (last >= least) {
        return true;
      }
      Thread.sleep(1_000);
    } while (System.nanoTime() < deadline);
    System.err.println(expr + " = " + last + " < " + least);
    return false;
  }

  private static double value(PrometheusServer prometheus, String expr) throws Exception {
    return number(expr, prometheus.query(expr));
  }

  private static double number(String expr, JsonNode result) {
    assertEquals(1, result.size(), expr + " -> " + result);
    return Double.parseDouble(result.get(0).get("value").get(1).asString());
  }
}
