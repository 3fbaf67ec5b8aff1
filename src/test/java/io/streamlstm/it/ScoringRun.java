package io.streamlstm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlstm.app.AppConfig;
import io.streamlstm.app.SimulateCommand;
import io.streamlstm.app.Service;
import io.streamlstm.app.metrics.Metrics;
import io.streamlstm.detect.Detector;
import io.streamlstm.detect.DetectorConfig;
import io.streamlstm.detect.Outcome;
import io.streamlstm.detect.Reading;
import io.streamlstm.detect.Score;
import io.streamlstm.detect.SensorState;
import io.streamlstm.detect.simulation.SimulatedReading;
import io.streamlstm.detect.simulation.Simulation;
import io.streamlstm.lstm.Models;
import io.streamlstm.streams.ScoringObserver;
import io.streamlstm.streams.Timestamps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What the scoring integration tests share: a service configuration of their own (topics, application id,
 * state directory), simulated readings, and the scores the offline {@link Detector} gives for them, to
 * compare the stream's scores with bit for bit.
 */
final class ScoringRun {

  private static final ObjectMapper JSON = new ObjectMapper();

  final String name;
  final String readings;
  final String scores;
  final String anomalies;
  final String deadLetters;
  final String models;
  final String feedback;

  ScoringRun(String prefix) {
    this.name = Clients.uniqueName(prefix);
    this.readings = name + "-readings";
    this.scores = name + "-scores";
    this.anomalies = name + "-anomalies";
    this.deadLetters = name + "-dlq";
    this.models = name + "-models";
    this.feedback = name + "-feedback";
  }

  /** The service's settings for this run: its own topics and application id, exactly-once as shipped. */
  Map<String, String> config(String bootstrapServers, Path stateDir, int partitions) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(StreamsConfig.APPLICATION_ID_CONFIG, name);
    c.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    c.put(AppConfig.INPUT_TOPIC, readings);
    c.put(AppConfig.SCORES_TOPIC, scores);
    c.put(AppConfig.ANOMALIES_TOPIC, anomalies);
    c.put(AppConfig.DLQ_TOPIC, deadLetters);
    c.put(AppConfig.MODEL_TOPIC, models);
    c.put(AppConfig.FEEDBACK_TOPIC, feedback);
    c.put(AppConfig.TOPIC_PARTITIONS, Integer.toString(partitions));
    return c;
  }

  /** {@code config} as {@code dir/app.properties}, for the commands' {@code --config}. */
  static Path propertiesFile(Path dir, Map<String, String> config) throws IOException {
    Path file = dir.resolve("app.properties");
    try (Writer out = Files.newBufferedWriter(file)) {
      Properties p = new Properties();
      p.putAll(config);
      p.store(out, null);
    }
    return file;
  }

  /** A service in this JVM, started and past its first rebalance. */
  static Service startService(Map<String, String> config) throws InterruptedException {
    return startService(config, null);
  }

  /** As {@link #startService(Map)}, with {@code metrics} (null: none) bound and served, as {@code run} wires it. */
  static Service startService(Map<String, String> config, Metrics metrics) throws InterruptedException {
    return startService(config, metrics, metrics == null ? ScoringObserver.NONE : metrics.observer());
  }

  /** As {@link #startService(Map, Metrics)}, the topology reporting to {@code observer}. */
  static Service startService(Map<String, String> config, Metrics metrics, ScoringObserver observer)
      throws InterruptedException {
    Service service = Service.create(AppConfig.from(config), observer, 0);
    if (metrics != null) metrics.bindTo(service);
    service.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (service.state() != KafkaStreams.State.RUNNING) {
      assertTrue(System.nanoTime() < deadline, "service not RUNNING within 60 s: " + service.state());
      Thread.sleep(50);
    }
    return service;
  }

  static List<SimulatedReading> simulate(int sensors, int perSensor, long seed) {
    Simulation simulation = new Simulation(sensors, seed);
    List<SimulatedReading> out = new ArrayList<>(sensors * perSensor);
    for (int n = 0; n < sensors * perSensor; n++) out.add(simulation.next());
    return out;
  }

  static List<Clients.Message> records(List<SimulatedReading> readings) {
    List<Clients.Message> out = new ArrayList<>(readings.size());
    for (SimulatedReading r : readings) out.add(new Clients.Message(r.sensorId(), SimulateCommand.toJson(r)));
    return out;
  }

  /** Where a score belongs: its sensor and the reading's time (unique per sensor in these tests). */
  static String at(String sensorId, long timestampMillis) {
    return sensorId + "@" + timestampMillis;
  }

  /**
   * The offline run, as the {@code score} command does it: one {@link Detector} with the shipped model and
   * default settings, each sensor's readings in order through its own state, nothing of Kafka.
   */
  static Map<String, Score> offlineScores(List<SimulatedReading> readings) {
    Detector detector = new Detector(Models.loadDefault(), DetectorConfig.defaults());
    Map<String, SensorState> states = new HashMap<>();
    Map<String, Score> scores = new HashMap<>();
    for (SimulatedReading r : readings) {
      SensorState state = states.computeIfAbsent(r.sensorId(), id -> detector.newState());
      Outcome outcome = detector.process(state, Reading.single(r.timestampMillis(), r.value()));
      assertTrue(outcome.accepted(), () -> "offline run refused " + r + ": " + outcome.rejection());
      scores.put(at(r.sensorId(), r.timestampMillis()), outcome.score());
    }
    return scores;
  }

  /** The scores read from a topic, by {@link #at}; fails on a second score for the same reading. */
  static Map<String, JsonNode> byReading(List<ConsumerRecord<String, String>> records) {
    Map<String, JsonNode> out = new HashMap<>();
    for (ConsumerRecord<String, String> record : records) {
      JsonNode score = parse(record.value());
      String key = at(record.key(), Timestamps.parse(score.get("timestamp").asText()));
      JsonNode before = out.put(key, score);
      assertTrue(before == null, () -> "two scores for reading " + key + ": " + before + " and " + score);
    }
    return out;
  }

  /** Every number the stream wrote equals the offline one to the last bit (JSON keeps a double exactly). */
  static void assertSameScores(Map<String, Score> expected, Map<String, JsonNode> actual) {
    assertEquals(expected.keySet(), actual.keySet(), "scored readings differ");
    for (Map.Entry<String, Score> e : expected.entrySet()) {
      Score want = e.getValue();
      JsonNode got = actual.get(e.getKey());
      String where = e.getKey();
      assertBits(want.values()[0], got.get("value"), where + " value");
      assertBits(want.expected()[0], got.get("expected"), where + " expected");
      assertBits(want.lower()[0], got.get("lower"), where + " lower");
      assertBits(want.upper()[0], got.get("upper"), where + " upper");
      assertBits(want.likelihood(), got.get("likelihood"), where + " likelihood");
      assertEquals(want.anomaly(), got.get("anomaly").asBoolean(), where + " anomaly");
      assertEquals(want.warmingUp(), got.get("warmingUp").asBoolean(), where + " warmingUp");
      assertEquals(want.modelVersion(), got.get("modelVersion").asText(), where + " modelVersion");
    }
  }

  private static void assertBits(double want, JsonNode got, String what) {
    if (!Double.isFinite(want)) {
      assertTrue(got == null || got.isNull(), () -> what + ": expected null for " + want + ", got " + got);
      return;
    }
    assertTrue(got != null && got.isNumber(), () -> what + ": expected " + want + ", got " + got);
    assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got.asDouble()),
        () -> what + ": expected " + want + ", got " + got.asDouble());
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + json, e);
    }
  }
}
