package io.streamlstm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlstm.app.AppConfig;
import io.streamlstm.app.Service;
import io.streamlstm.app.metrics.Metrics;
import io.streamlstm.app.metrics.MetricsConfig;
import io.streamlstm.streams.Timestamps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The silence watch on a real broker, by the wall clock: a sensor reports every 200 ms, then stops, and nothing at
 * all arrives; it gets one {@code silent} event (and only one) once it has been quiet for the allowed span, counted
 * in the metrics, and a {@code resumed} event when it reports again. Short spans keep the test short: silent after
 * 3 usual intervals and at least 2 s, checked every half second ({@code streamlstm.silence.*}).
 */
@ExtendWith(KafkaExtension.class)
class SilenceIT {

  private static final String SENSOR = "pump-1";
  private static final Duration MINIMUM = Duration.ofSeconds(2);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void aSensorThatStopsIsToldSilentOnceWhileNothingArrivesAndResumedWhenItReportsAgain(TestKafka kafka,
      @TempDir Path dir) throws Exception {
    final ScoringRun run = new ScoringRun("silence");
    final Map<String, String> config = run.config(kafka.bootstrapServers(), dir.resolve("state"), 1);
    config.put(AppConfig.SILENCE_FACTOR, "3");
    config.put(AppConfig.SILENCE_MINIMUM, MINIMUM.toString());
    config.put(AppConfig.SILENCE_CHECK_EVERY, "PT0.5S");

    try (Metrics metrics = new Metrics(MetricsConfig.defaults());
        Service service = ScoringRun.startService(config, metrics);
        KafkaProducer<String, byte[]> producer = Clients.producer(kafka.bootstrapServers())) {
      long lastSent = 0;
      for (int k = 0; k < 20; k++) {
        lastSent = send(producer, run.readings);
        Thread.sleep(200);
      }

      final List<ConsumerRecord<String, String>> silent = Clients.readCommitted(kafka.bootstrapServers(),
          run.anomalies, 1, TIMEOUT, Duration.ZERO);
      assertEquals(1, silent.size(), "one silent event");
      final JsonNode event = ScoringRun.parse(silent.get(0).value());
      assertEquals(SENSOR, silent.get(0).key());
      assertEquals("silent", event.get("event").asText());
      assertEquals(Timestamps.format(lastSent), event.get("lastReading").asText());
      final Duration usual = Duration.parse(event.get("usualInterval").asText());
      assertTrue(usual.compareTo(Duration.ofMillis(150)) > 0 && usual.compareTo(Duration.ofMillis(400)) < 0,
          "the usual interval is the 200 ms it reported at: " + usual);
      assertTrue(Duration.parse(event.get("quietFor").asText()).compareTo(MINIMUM) >= 0, "not before the span: " + event);
      String text = MetricsText.await(service, "streamlstm_sensors_silent", 1, TIMEOUT);
      assertEquals(1.0, MetricsText.value(text, "streamlstm_silence_silent_total"));

      // Several more checks while nothing arrives: still the one event.
      assertEquals(1, Clients.readCommitted(kafka.bootstrapServers(), run.anomalies, 2, Duration.ofSeconds(3),
          Duration.ZERO).size(), "silent once, not at every check");

      final long back = send(producer, run.readings);
      final List<ConsumerRecord<String, String>> events = Clients.readCommitted(kafka.bootstrapServers(),
          run.anomalies, 2, TIMEOUT, Duration.ofSeconds(1));
      assertEquals(List.of("silent", "resumed"),
          events.stream().map(e -> ScoringRun.parse(e.value()).get("event").asText()).toList());
      assertEquals(Timestamps.format(back), ScoringRun.parse(events.get(1).value()).get("resumedAt").asText());
      text = MetricsText.await(service, "streamlstm_sensors_silent", 0, TIMEOUT);
      assertEquals(1.0, MetricsText.value(text, "streamlstm_silence_silent_total"));
      assertEquals(1.0, MetricsText.value(text, "streamlstm_silence_resumed_total"));
    }
  }

  /** One reading of the sensor, stamped now, as a sensor sends it; returns its time. */
  private static long send(KafkaProducer<String, byte[]> producer, String topic) throws Exception {
    final long now = System.currentTimeMillis();
    final String json = "{\"sensorId\":\"" + SENSOR + "\",\"timestamp\":" + now + ",\"value\":" + (20 + now % 3) + "}";
    producer.send(new ProducerRecord<>(topic, SENSOR, json.getBytes(StandardCharsets.UTF_8))).get();
    return now;
  }
}
