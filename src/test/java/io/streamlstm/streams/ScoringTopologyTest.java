package io.streamlstm.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlstm.detect.Detector;
import io.streamlstm.detect.Outcome;
import io.streamlstm.detect.Reading;
import io.streamlstm.detect.Rejection;
import io.streamlstm.detect.Score;
import io.streamlstm.detect.SensorState;
import io.streamlstm.detect.alerts.RuleSet;
import io.streamlstm.lstm.Model;
import io.streamlstm.lstm.ModelFile;
import io.streamlstm.lstm.Models;
import io.streamlstm.lstm.Network;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoringTopologyTest {

  private static final StreamSettings SETTINGS = StreamSettings.defaults();
  private static final Model SHIPPED = Models.loadDefault();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long START = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  /** The one task of a single-partition input. */
  private static final String TASK = "0_0";

  @TempDir Path stateDir;

  private final RecordingObserver observer = new RecordingObserver();
  private final List<TopologyTestDriver> drivers = new ArrayList<>();

  @AfterEach
  void closeDrivers() {
    drivers.forEach(TopologyTestDriver::close);
  }

  /** One driver over a fresh topology; the test topics through which to talk to it. */
  private final class Run {
    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> readings;
    final TestInputTopic<String, byte[]> models;
    final TestInputTopic<String, byte[]> feedback;
    final TestOutputTopic<String, byte[]> scores;
    final TestOutputTopic<String, byte[]> anomalies;
    final TestOutputTopic<String, byte[]> deadLetters;

    Run() {
      this(SETTINGS);
    }

    Run(StreamSettings settings) {
      this(settings, RuleSet.NONE);
    }

    Run(StreamSettings settings, RuleSet rules) {
      final Properties props = new Properties();
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, "scoring-test-" + drivers.size());
      props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("run-" + drivers.size()).toString());
      props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true"); // as the service runs
      driver = new TopologyTestDriver(ScoringTopology.build(settings, SHIPPED, observer, () -> rules), props);
      drivers.add(driver);
      readings = driver.createInputTopic(SETTINGS.inputTopic(), new StringSerializer(), new ByteArraySerializer());
      models = driver.createInputTopic(SETTINGS.modelTopic(), new StringSerializer(), new ByteArraySerializer());
      feedback = driver.createInputTopic(SETTINGS.feedback().topic(), new StringSerializer(), new ByteArraySerializer());
      scores = output(SETTINGS.scoresTopic());
      anomalies = output(SETTINGS.anomaliesTopic());
      deadLetters = output(SETTINGS.deadLetterTopic());
    }

    private TestOutputTopic<String, byte[]> output(String topic) {
      return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
    }

    void send(String key, String json) {
      readings.pipeInput(key, bytes(json));
    }

    KeyValueStore<String, byte[]> states() {
      return driver.getKeyValueStore(ScoringTopology.SENSOR_STATE_STORE);
    }

    KeyValueStore<String, byte[]> episodes() {
      return driver.getKeyValueStore(ScoringTopology.EPISODE_STORE);
    }

    KeyValueStore<String, byte[]> silence() {
      return driver.getKeyValueStore(ScoringTopology.SILENCE_STORE);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String reading(String sensorId, long timestamp, double value) {
    return "{\"sensorId\":\"" + sensorId + "\",\"timestamp\":\"" + Timestamps.format(timestamp) + "\",\"value\":"
        + value + "}";
  }

  /** A seeded noisy sine, one reading a minute, with a spike at {@code spikeAt} (none if negative). */
  private static double[] series(long seed, int length, int spikeAt) {
    final Random random = new Random(seed);
    final double[] values = new double[length];
    for (int t = 0; t < length; t++) {
      values[t] = 20 + 3 * Math.sin(t / 8.0) + 0.2 * random.nextGaussian() + (t == spikeAt ? 40 : 0);
    }
    return values;
  }

  private static long minute(int t) {
    return START + 60_000L * t;
  }

  /** The scores an offline detector gives for {@code values}, reading by reading. */
  private static List<Score> offline(Model model, double[] values) {
    final Detector detector = new Detector(model, SETTINGS.detector());
    final SensorState state = detector.newState();
    final List<Score> scores = new ArrayList<>();
    for (int t = 0; t < values.length; t++) {
      final Outcome outcome = detector.process(state, Reading.single(minute(t), values[t]));
      assertTrue(outcome.accepted(), "offline reference refused reading " + t);
      scores.add(outcome.score());
    }
    return scores;
  }

  /** Their JSON, as the stream writes it. */
  private static List<byte[]> offlineScores(Model model, String sensorId, double[] values) {
    return offline(model, values).stream().map(score -> ScoreJson.write(sensorId, SETTINGS.modelName(), score)).toList();
  }

  private static void assertBits(double expected, JsonNode actual, String what) {
    if (!Double.isFinite(expected)) {
      assertTrue(actual.isNull(), what + ": " + actual);
    } else {
      assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual.asDouble()), what);
    }
  }

  private static List<byte[]> values(List<TestRecord<String, byte[]>> records) {
    return records.stream().map(TestRecord::value).toList();
  }

  private static JsonNode json(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
    }
  }

  /** The event kinds of episode records, in order. */
  private static List<String> events(List<TestRecord<String, byte[]>> episodes) {
    return episodes.stream().map(record -> json(record.value()).get("event").asText()).toList();
  }

  private static String header(TestRecord<String, byte[]> record, String name) {
    return DeadLetters.text(record.headers(), name);
  }

  private static void assertSameBytes(List<byte[]> expected, List<byte[]> actual) {
    assertEquals(expected.size(), actual.size(), "number of records");
    for (int k = 0; k < expected.size(); k++) {
      assertEquals(new String(expected.get(k), StandardCharsets.UTF_8), new String(actual.get(k), StandardCharsets.UTF_8),
          "record " + k);
    }
  }

  @Test
  void scoresEveryReadingInOrderAsTheDetectorDoesOfflineAndSendsItsEpisodeToAnomalies() throws IOException {
    final double[] values = series(1, 400, 300);
    final Run run = new Run();
    for (int t = 0; t < values.length; t++) run.send("pump-7", reading("pump-7", minute(t), values[t]));

    final List<TestRecord<String, byte[]>> scores = run.scores.readRecordsToList();
    assertSameBytes(offlineScores(SHIPPED, "pump-7", values), values(scores));
    final List<Score> reference = offline(SHIPPED, values);
    for (int t = 0; t < scores.size(); t++) {
      final JsonNode score = json(scores.get(t).value());
      // The JSON text keeps every bit of the detector's numbers.
      assertBits(reference.get(t).expected()[0], score.get("expected"), "expected " + t);
      assertBits(reference.get(t).lower()[0], score.get("lower"), "lower " + t);
      assertBits(reference.get(t).upper()[0], score.get("upper"), "upper " + t);
      assertBits(reference.get(t).likelihood(), score.get("likelihood"), "likelihood " + t);
      assertEquals("pump-7", scores.get(t).key());
      assertEquals(minute(t), scores.get(t).timestamp(), "event time is the reading's time");
      assertEquals(Timestamps.format(minute(t)), score.get("timestamp").asText());
      assertEquals(values[t], score.get("value").asDouble());
      assertEquals(SHIPPED.version(), score.get("modelVersion").asText());
    }
    final long flagged = scores.stream().filter(score -> json(score.value()).get("anomaly").asBoolean()).count();
    assertTrue(flagged > 0, "a spike of 40 noise-levels is flagged");
    final List<TestRecord<String, byte[]>> episodes = run.anomalies.readRecordsToList();
    // It closes after 120 unflagged readings, past the series' end: still open.
    assertEquals(List.of("opened"), events(episodes), "one incident, one episode");
    final JsonNode opened = json(episodes.get(0).value());
    assertEquals("pump-7@" + Timestamps.format(minute(300)), opened.get("episodeId").asText());
    assertEquals(1, opened.get("readingsFlagged").asLong());
    assertEquals(minute(300), episodes.get(0).timestamp(), "an event carries the time of the reading that made it");
    assertEquals("pump-7", episodes.get(0).key());
    assertNotNull(run.episodes().get("pump-7"));
    assertTrue(run.deadLetters.isEmpty());
    assertEquals(values.length, observer.scoredSensors.size());
  }

  @Test
  void keylessReadingsAreKeyedBySensorAndScoredAsKeyedOnesAre() {
    final double[] a = series(2, 120, -1);
    final double[] b = series(3, 120, -1);
    final Run keyed = new Run();
    final Run keyless = new Run();
    for (int t = 0; t < a.length; t++) {
      keyed.send("a", reading("a", minute(t), a[t]));
      keyed.send("b", reading("b", minute(t), b[t]));
      keyless.send(null, reading("a", minute(t), a[t]));
      keyless.send("", reading("b", minute(t), b[t]));
    }
    final List<TestRecord<String, byte[]>> expected = keyed.scores.readRecordsToList();
    final List<TestRecord<String, byte[]>> actual = keyless.scores.readRecordsToList();
    assertEquals(expected.stream().map(TestRecord::key).toList(), actual.stream().map(TestRecord::key).toList());
    assertSameBytes(values(expected), values(actual));
    assertSameBytes(offlineScores(SHIPPED, "a", a),
        values(actual.stream().filter(r -> r.key().equals("a")).toList()));
    assertTrue(keyless.deadLetters.isEmpty());
    assertTrue(actual.stream().allMatch(r -> r.headers().toArray().length == 0),
        "the internal source stamp does not leak into scores");
  }

  /** A record that must be refused, the reason it must be refused for, and how it is sent. */
  private record Bad(String key, byte[] value, String reason) {
    Bad(String key, String value, String reason) {
      this(key, value == null ? null : bytes(value), reason);
    }
  }

  @Test
  void everyKindOfBadRecordIsDeadLetteredWithItsBytesAndReasonWhileGoodOnesScoreAsWithoutThem()
      throws IOException {
    final double[] values = series(4, 150, -1);
    final String ts = "\"" + Timestamps.format(minute(200)) + "\"";
    final List<Bad> bad = List.of(
        new Bad("pump-7", new byte[] {(byte) 0xff, 0, 1, 2}, "MALFORMED"),
        new Bad("pump-7", "[1,2,3]", "MALFORMED"),
        new Bad("pump-7", "", "MALFORMED"),
        new Bad("pump-7", reading("pump-7", minute(200), 1.0) + " trailing", "MALFORMED"),
        new Bad("pump-7", "{\"sensorId\":\"pump-7\",\"timestamp\":1.5e12,\"value\":1.0}", "MALFORMED"),
        new Bad("pump-7", "{\"sensorId\":\"pump-7\",\"value\":1.0}", "MALFORMED"),
        new Bad("pump-7", "{\"sensorId\":\"pump-7\",\"timestamp\":\"yesterday\",\"value\":1.0}", "MALFORMED"),
        new Bad("pump-7", "{\"sensorId\":\"pump-7\",\"timestamp\":" + ts + "}", "MALFORMED"),
        new Bad("pump-7", "{\"sensorId\":\"pump-7\",\"timestamp\":" + ts + ",\"value\":\"high\"}", "MALFORMED"),
        new Bad("pump-7", "{\"sensorId\":\"pump-8\",\"timestamp\":" + ts + ",\"value\":1.0}", "MALFORMED"),
        new Bad(null, "{\"timestamp\":" + ts + ",\"value\":1.0}", "MALFORMED"),
        new Bad("pump-7", (String) null, "MALFORMED"),
        new Bad(null, (String) null, "MALFORMED"),
        new Bad("pump-7", "{\"sensorId\":\"pump-7\",\"timestamp\":" + ts + ",\"value\":NaN}", "NOT_FINITE"),
        new Bad("pump-7", "{\"sensorId\":\"pump-7\",\"timestamp\":" + ts + ",\"value\":1e999}", "NOT_FINITE"),
        new Bad("pump-7", "{\"sensorId\":\"pump-7\",\"timestamp\":" + ts + ",\"values\":{\"temp\":1.0}}",
            "WRONG_CHANNELS"),
        new Bad("pump-7", reading("pump-7", minute(-5), 1.0), "TIME_BACKWARDS"),
        new Bad(null, reading("pump-7", minute(-5), 1.0), "TIME_BACKWARDS"));

    final Run clean = new Run();
    final Run dirty = new Run();
    final List<Long> badOffsets = new ArrayList<>();
    long offset = 0;
    for (int t = 0; t < values.length; t++) {
      final String good = reading("pump-7", minute(t), values[t]);
      clean.send("pump-7", good);
      dirty.send("pump-7", good);
      offset++;
      if (t >= 100 && t - 100 < bad.size()) {
        final Bad record = bad.get(t - 100);
        dirty.readings.pipeInput(record.key(), record.value());
        badOffsets.add(offset++);
      }
    }

    assertSameBytes(values(clean.scores.readRecordsToList()), values(dirty.scores.readRecordsToList()));
    final List<TestRecord<String, byte[]>> letters = dirty.deadLetters.readRecordsToList();
    assertEquals(bad.size(), letters.size());
    for (int k = 0; k < bad.size(); k++) {
      final TestRecord<String, byte[]> letter = letters.get(k);
      final String what = "bad record " + k;
      assertEquals(bad.get(k).key(), letter.key(), what);
      assertArrayEquals(bad.get(k).value(), letter.value(), what + ": original bytes");
      assertEquals(bad.get(k).reason(), header(letter, DeadLetters.REASON), what);
      assertFalse(header(letter, DeadLetters.DETAIL).isBlank(), what);
      assertEquals(SETTINGS.inputTopic(), header(letter, DeadLetters.TOPIC), what);
      assertEquals("0", header(letter, DeadLetters.PARTITION), what);
      assertEquals(Long.toString(badOffsets.get(k)), header(letter, DeadLetters.OFFSET), what);
    }
    assertEquals(bad.stream().map(Bad::reason).toList(), observer.deadLetterReasons);
    assertEquals(values.length * 2, observer.scoredSensors.size());
  }

  @Test
  void storedStateAfterEachReadingIsTheOfflineDetectorsState() {
    final double[] values = series(5, 130, -1);
    final Run run = new Run();
    final Detector detector = new Detector(SHIPPED, SETTINGS.detector());
    final SensorState offline = detector.newState();
    for (int t = 0; t < values.length; t++) {
      run.send("pump-7", reading("pump-7", minute(t), values[t]));
      detector.process(offline, Reading.single(minute(t), values[t]));
      assertArrayEquals(offline.encode(), run.states().get("pump-7"), "state after reading " + t);
    }
    assertEquals(offline, SensorState.decode(run.states().get("pump-7")));
  }

  @Test
  void unreadableStoredStateIsDeadLetteredAndTheSensorStartsOver() {
    final double[] values = series(6, 60, -1);
    final Run run = new Run();
    run.send("pump-7", reading("pump-7", minute(0), values[0]));
    run.states().put("pump-7", bytes("not a sensor state"));

    run.send("pump-7", reading("pump-7", minute(1), values[1]));
    final List<TestRecord<String, byte[]>> letters = run.deadLetters.readRecordsToList();
    assertEquals(1, letters.size());
    assertEquals(DeadLetters.STATE_UNREADABLE, header(letters.get(0), DeadLetters.REASON));
    assertNull(run.states().get("pump-7"), "the unreadable state is dropped");

    run.scores.readRecordsToList();
    final double[] rest = Arrays.copyOfRange(values, 2, values.length);
    for (int t = 0; t < rest.length; t++) run.send("pump-7", reading("pump-7", minute(t), rest[t]));
    assertSameBytes(offlineScores(SHIPPED, "pump-7", rest), values(run.scores.readRecordsToList()));
  }

  @Test
  void aPublishedModelTakesOverAndACorruptOneIsRefused() throws IOException {
    final Network other = Network.initialise(SHIPPED.network().architecture(), 42);
    final byte[] published = ModelFile.encode(other, SHIPPED.normalisation(), Map.of("purpose", "test"));
    final Model next = ModelFile.decode(published, "test");
    assertNotEquals(SHIPPED.version(), next.version());
    final byte[] corrupt = published.clone();
    corrupt[corrupt.length / 2] ^= 0x55;

    final double[] values = series(7, 40, -1);
    final Run run = new Run();
    run.send("pump-7", reading("pump-7", minute(0), values[0]));
    run.models.pipeInput(SETTINGS.modelName(), published);
    run.send("pump-7", reading("pump-7", minute(1), values[1]));
    run.models.pipeInput(SETTINGS.modelName(), corrupt);
    run.models.pipeInput("someone-elses-model", bytes("ignored"));
    run.send("pump-7", reading("pump-7", minute(2), values[2]));
    run.models.pipeInput(SETTINGS.modelName(), (byte[]) null);
    run.send("pump-7", reading("pump-7", minute(3), values[3]));

    final List<String> versions = new ArrayList<>();
    for (TestRecord<String, byte[]> score : run.scores.readRecordsToList()) {
      versions.add(json(score.value()).get("modelVersion").asText());
    }
    assertEquals(List.of(SHIPPED.version(), next.version(), next.version(), SHIPPED.version()), versions);
    assertEquals(List.of("default:UNREADABLE"), observer.refusedModels);
    assertEquals(List.of("default:" + SHIPPED.version(), "default:" + next.version(), "default:" + SHIPPED.version()),
        observer.activatedModels);
    assertNull(run.driver.<String, byte[]>getKeyValueStore(ScoringTopology.MODEL_STORE).get(SETTINGS.modelName()),
        "a deleted model leaves the store");
  }

  /** A model of the shipped architecture with weights from {@code seed}: another version to publish. */
  private static byte[] otherModel(long seed) {
    return ModelFile.encode(Network.initialise(SHIPPED.network().architecture(), seed), SHIPPED.normalisation(),
        Map.of("seed", Long.toString(seed)));
  }

  @Test
  void routedSensorsScoreWithTheirNamedModelFromWhenItIsPublishedAndTheRestWithTheDefault() {
    final StreamSettings d = SETTINGS;
    final ModelRoutes routes = ModelRoutes.parse("pump-*=pumps,valve-*=valves");
    final Run run = new Run(new StreamSettings(d.inputTopic(), d.scoresTopic(), d.anomaliesTopic(), d.deadLetterTopic(),
        d.modelTopic(), d.modelName(), d.detector(), d.futureTolerance(), d.stateExpiry(), d.episodes(), d.silence(),
        routes, d.feedback()));
    final byte[] pumps = otherModel(42);
    final byte[] valves = otherModel(44);
    final byte[] fleet = otherModel(46);
    final byte[] corrupt = valves.clone();
    corrupt[corrupt.length / 2] ^= 0x55;

    // The offline reference: each sensor's state through the detector of the model its name scores with at the time,
    // which re-warms the state when that model changes.
    final Map<String, Model> byName = new HashMap<>(Map.of("default", SHIPPED, "pumps", SHIPPED, "valves", SHIPPED));
    final Map<String, Detector> detectors = new HashMap<>();
    final Map<String, SensorState> states = new HashMap<>();
    final List<byte[]> expected = new ArrayList<>();
    final List<String> sensors = List.of("pump-1", "valve-1", "boiler-1");
    final double[] values = series(13, 40, -1);
    for (int t = 0; t < values.length; t++) {
      if (t == 10) {
        run.models.pipeInput("pumps", pumps);
        byName.put("pumps", ModelFile.decode(pumps, "pumps"));
      }
      if (t == 20) {
        run.models.pipeInput("valves", corrupt); // refused: valves keeps following the default
        run.models.pipeInput(d.modelName(), fleet);
        byName.put("default", ModelFile.decode(fleet, "fleet"));
        byName.put("valves", byName.get("default"));
      }
      if (t == 30) {
        run.models.pipeInput("valves", valves);
        byName.put("valves", ModelFile.decode(valves, "valves"));
      }
      for (String sensor : sensors) {
        run.send(sensor, reading(sensor, minute(t), values[t] + sensors.indexOf(sensor)));
        final String name = routes.modelOf(sensor, d.modelName());
        final Model model = byName.get(name);
        final Detector detector = detectors.computeIfAbsent(model.version(), v -> new Detector(model, d.detector()));
        final SensorState state = states.computeIfAbsent(sensor, id -> detector.newState());
        final Outcome outcome = detector.process(state, Reading.single(minute(t), values[t] + sensors.indexOf(sensor)));
        expected.add(ScoreJson.write(sensor, name, outcome.score()));
      }
    }

    final List<TestRecord<String, byte[]>> scores = run.scores.readRecordsToList();
    assertSameBytes(expected, values(scores));
    final Map<String, List<String>> versions = new HashMap<>();
    for (TestRecord<String, byte[]> score : scores) {
      final JsonNode json = json(score.value());
      versions.computeIfAbsent(score.key(), k -> new ArrayList<>())
          .add(json.get("model").asText() + ":" + json.get("modelVersion").asText());
    }
    final String shipped = SHIPPED.version();
    final String pumpsVersion = ModelFile.decode(pumps, "p").version();
    final String fleetVersion = ModelFile.decode(fleet, "f").version();
    final String valvesVersion = ModelFile.decode(valves, "v").version();
    assertEquals(List.of("pumps:" + shipped, "pumps:" + pumpsVersion), distinct(versions.get("pump-1")));
    assertEquals(List.of("valves:" + shipped, "valves:" + fleetVersion, "valves:" + valvesVersion),
        distinct(versions.get("valve-1")), "an unpublished name follows the default model");
    assertEquals(List.of("default:" + shipped, "default:" + fleetVersion), distinct(versions.get("boiler-1")));
    assertEquals(List.of("default:" + shipped, "pumps:" + shipped, "valves:" + shipped, "pumps:" + pumpsVersion,
        "default:" + fleetVersion, "valves:" + fleetVersion, "valves:" + valvesVersion), observer.activatedModels);
    assertEquals(List.of("valves:UNREADABLE"), observer.refusedModels);
    final KeyValueStore<String, byte[]> stored = run.driver.getKeyValueStore(ScoringTopology.MODEL_STORE);
    assertArrayEquals(valves, stored.get("valves"), "the corrupt record never entered the store");
    assertArrayEquals(pumps, stored.get("pumps"));
    assertTrue(observer.scoredBy.contains("valve-1:valves") && observer.scoredBy.contains("boiler-1:default"));
  }

  private static List<String> distinct(List<String> values) {
    return values.stream().distinct().toList();
  }

  @Test
  void aRefusedModelNeverReplacesTheStoredOne() {
    final Network other = Network.initialise(SHIPPED.network().architecture(), 43);
    final byte[] published = ModelFile.encode(other, SHIPPED.normalisation(), Map.of());
    final Run run = new Run();
    run.models.pipeInput(SETTINGS.modelName(), published);
    run.models.pipeInput(SETTINGS.modelName(), Arrays.copyOf(published, 20));
    assertArrayEquals(published, run.driver.<String, byte[]>getKeyValueStore(ScoringTopology.MODEL_STORE)
        .get(SETTINGS.modelName()));
    assertEquals(List.of("default:UNREADABLE"), observer.refusedModels);
  }

  @Test
  void multiChannelReadingsAreScoredByChannelNameWhateverTheFieldOrderAndEpochTimesToo() throws IOException {
    final double[] temp = series(8, 120, -1);
    final double[] vibration = series(9, 120, -1);
    final Run run = new Run();
    final Detector detector = new Detector(SHIPPED, SETTINGS.detector());
    final SensorState offline = detector.newState();
    final List<byte[]> expected = new ArrayList<>();
    for (int t = 0; t < temp.length; t++) {
      // Alternate field order and timestamp style: the same sensor state must accept both.
      final String values = t % 2 == 0
          ? "{\"temp\":" + temp[t] + ",\"vibration\":" + vibration[t] + "}"
          : "{\"vibration\":" + vibration[t] + ",\"temp\":" + temp[t] + "}";
      final String time = t % 2 == 0 ? Long.toString(minute(t)) : "\"" + Timestamps.format(minute(t)) + "\"";
      run.send("press-1", "{\"timestamp\":" + time + ",\"values\":" + values + "}");
      final Outcome outcome = detector.process(offline,
          new Reading(minute(t), new String[] {"temp", "vibration"}, new double[] {temp[t], vibration[t]}));
      expected.add(ScoreJson.write("press-1", SETTINGS.modelName(), outcome.score()));
    }
    final List<TestRecord<String, byte[]>> scores = run.scores.readRecordsToList();
    assertSameBytes(expected, values(scores));
    final JsonNode last = json(scores.get(scores.size() - 1).value());
    assertEquals(temp[temp.length - 1], last.get("values").get("temp").asDouble());
    assertEquals(vibration[vibration.length - 1], last.get("values").get("vibration").asDouble());
    assertTrue(last.get("expected").has("vibration") && last.get("channelShares").has("temp"));
    assertTrue(run.deadLetters.isEmpty());
  }

  @Test
  void aReadingStampedFarAheadOfItsRecordIsDeadLetteredAndTheReadingsAfterItScore() {
    final double[] values = series(8, 50, -1);
    final Run run = new Run();
    final long year2999 = Timestamps.parse("2999-01-01T00:00:00Z");
    run.send("pump-7", reading("pump-7", year2999, 20));
    run.send(null, reading("pump-7", year2999, 20)); // key-less: through the repartition topic at its record's time

    final List<TestRecord<String, byte[]>> letters = run.deadLetters.readRecordsToList();
    assertEquals(2, letters.size());
    assertEquals(DeadLetters.FUTURE_TIMESTAMP, header(letters.get(1), DeadLetters.REASON));
    assertEquals(DeadLetters.FUTURE_TIMESTAMP, header(letters.get(0), DeadLetters.REASON));
    assertTrue(header(letters.get(0), DeadLetters.DETAIL).startsWith("2999-01-01T00:00:00Z is more than 86400000 ms"),
        header(letters.get(0), DeadLetters.DETAIL));
    assertTrue(letters.get(0).timestamp() < year2999, "the dead letter keeps its record's time, not the reading's");
    assertEquals(List.of(DeadLetters.FUTURE_TIMESTAMP, DeadLetters.FUTURE_TIMESTAMP), observer.deadLetterReasons);
    assertNull(run.states().get("pump-7"), "the state is left alone");

    for (int t = 0; t < values.length; t++) run.send("pump-7", reading("pump-7", minute(t), values[t]));
    assertSameBytes(offlineScores(SHIPPED, "pump-7", values), values(run.scores.readRecordsToList()));
    assertTrue(run.deadLetters.isEmpty());
  }

  @Test
  void aSensorWhoseClockWasSetBackIsScoredAgainFromItsTenthEarlierReading() throws IOException {
    final double[] values = series(9, 150, -1);
    final Run run = new Run();
    for (int t = 0; t < 120; t++) run.send("pump-7", reading("pump-7", minute(t), values[t]));
    run.scores.readRecordsToList();
    final long setBack = minute(119) - 86_400_000L;
    for (int t = 0; t < 30; t++) run.send("pump-7", reading("pump-7", setBack + 60_000L * t, values[120 + t]));

    final List<TestRecord<String, byte[]>> letters = run.deadLetters.readRecordsToList();
    assertEquals(9, letters.size());
    for (TestRecord<String, byte[]> letter : letters) {
      assertEquals(Rejection.Reason.TIME_BACKWARDS.name(), header(letter, DeadLetters.REASON));
    }
    final List<TestRecord<String, byte[]>> scores = run.scores.readRecordsToList();
    assertEquals(21, scores.size());
    assertEquals(Timestamps.format(setBack + 60_000L * 9), json(scores.get(0).value()).get("timestamp").asText());
    assertEquals(120 + 21, SensorState.decode(run.states().get("pump-7")).readings());
  }

  private static StreamSettings expiringAfterADay(int slice) {
    final StreamSettings d = SETTINGS;
    return new StreamSettings(d.inputTopic(), d.scoresTopic(), d.anomaliesTopic(), d.deadLetterTopic(), d.modelTopic(),
        d.modelName(), d.detector(), d.futureTolerance(), new StateExpiry(Duration.ofDays(1), Duration.ofSeconds(10), slice),
        d.episodes(), d.silence(), d.modelRoutes(), d.feedback());
  }

  @Test
  void aSweepRemovesTheStatesOfSensorsSilentForLongerThanTheTtlAFewAtATime() {
    final Run run = new Run(expiringAfterADay(2));
    for (String gone : List.of("gone-1", "gone-2", "gone-3")) run.send(gone, reading(gone, minute(0), 20));
    // Stream time moves on by the live sensor's readings, twice a day; the others stay silent.
    for (int half = 0; half <= 2; half++) run.send("live", reading("live", minute(0) + half * 43_200_000L, 20 + half));
    run.send("live", reading("live", minute(1) + 86_400_000L, 23));
    assertEquals(4, count(run.states()));

    run.driver.advanceWallClockTime(Duration.ofSeconds(10));
    assertNull(run.states().get("gone-1"));
    assertNull(run.states().get("gone-2"));
    assertNotNull(run.states().get("gone-3"), "a sweep reads no more than its slice of two states");
    assertEquals(2, observer.statesExpired);

    run.driver.advanceWallClockTime(Duration.ofSeconds(10));
    assertNull(run.states().get("gone-3"));
    assertNotNull(run.states().get("live"), "heard from within the ttl");
    assertEquals(3, observer.statesExpired);

    // The next sweep starts at the first key again, and finds nothing more to remove.
    run.driver.advanceWallClockTime(Duration.ofSeconds(10));
    assertEquals(1, count(run.states()));
    assertEquals(3, observer.statesExpired);
  }

  @Test
  void aSilentSensorWhoseStateExpiresIsNoLongerCountedSilentAndTellsNothingMore() {
    final Run run = new Run(expiringAfterADay(1000));
    reportEveryMinute(run, "pump-7", 20);
    run.driver.advanceWallClockTime(Duration.ofMinutes(6));
    assertEquals("silent", json(run.anomalies.readRecordsToList().get(0).value()).get("event").asText());
    assertEquals(Map.of(TASK, 1L), observer.silentByTask);

    // Another sensor carries the stream time a day on: pump-7's state expires at the next sweep.
    run.send("live", reading("live", minute(21) + 86_400_000L, 20));
    run.driver.advanceWallClockTime(Duration.ofSeconds(10));
    assertNull(run.states().get("pump-7"));
    assertNull(run.silence().get("pump-7"), "no longer watched");
    assertEquals(Map.of(TASK, 0L), observer.silentByTask, "no longer silent: departed");
    assertEquals(0L, ByteBuffer.wrap(run.silence().get(SilenceWatch.SILENT_COUNT_KEY)).getLong());
    assertEquals(List.of(true), observer.silenceEvents, "not resumed either");
    run.driver.advanceWallClockTime(Duration.ofMinutes(30));
    assertTrue(run.anomalies.isEmpty());
  }

  /** A record written now amid old readings, say a backfill: if it moved the stream time, the sweep would empty the task. */
  @Test
  void aMalformedRecordWrittenLaterThanTheReadingsDoesNotMakeTheirSensorsDeparted() {
    final Run run = new Run(expiringAfterADay(1000));
    for (int t = 0; t < 10; t++) run.send("pump-7", reading("pump-7", minute(t), 20 + t % 3));
    run.readings.pipeInput("pump-7", bytes("not json"), minute(10) + 30 * 86_400_000L);
    run.driver.advanceWallClockTime(Duration.ofSeconds(10));
    assertNotNull(run.states().get("pump-7"), "the sweep judged by the readings' times");
    assertEquals(0, observer.statesExpired);
    assertEquals(1, run.deadLetters.readRecordsToList().size());
  }

  @Test
  void aSensorBackAfterLongerThanTheTtlStartsOverWhetherOrNotTheSweepCameBy() throws IOException {
    final double[] values = series(10, 40, -1);
    final Run run = new Run(expiringAfterADay(1000));
    for (int t = 0; t < 20; t++) run.send("pump-7", reading("pump-7", minute(t), values[t]));
    final long back = minute(19) + 86_400_000L + 1;
    for (int t = 0; t < 20; t++) run.send("pump-7", reading("pump-7", back + 60_000L * t, values[20 + t]));

    final List<TestRecord<String, byte[]>> scores = run.scores.readRecordsToList();
    assertEquals(40, scores.size());
    assertTrue(json(scores.get(20).value()).get("warmingUp").asBoolean());
    assertEquals(20, SensorState.decode(run.states().get("pump-7")).readings(), "its readings count from its return");
    assertEquals(1, observer.statesExpired);
  }

  private static int count(KeyValueStore<String, byte[]> store) {
    int n = 0;
    try (var all = store.all()) {
      while (all.hasNext()) {
        all.next();
        n++;
      }
    }
    return n;
  }

  /**
   * A seeded noisy sine with spikes every 40 readings from reading 300 to 500, each larger than the one before:
   * one incident. The detector damps a surprise no larger than its recent peak, so it flags a few of them,
   * about 100 readings apart, which the default close span (120) keeps in one episode.
   */
  private static double[] escalating(long seed) {
    final double[] values = series(seed, 700, -1);
    for (int k = 0; k < 6; k++) values[300 + 40 * k] += 20 * (k + 1);
    return values;
  }

  @Test
  void aLastingDepartureIsOneEpisodeThatTheReplaysTrackerGivesByteForByte() {
    final double[] values = escalating(11);
    final Run run = new Run();
    for (int t = 0; t < values.length; t++) run.send("pump-7", reading("pump-7", minute(t), values[t]));
    final List<TestRecord<String, byte[]>> episodes = run.anomalies.readRecordsToList();

    // ReplayCommand's composition: the same scorer and tracker over maps, the readings in their topic's order.
    final Map<String, byte[]> states = new HashMap<>();
    final Map<String, byte[]> open = new HashMap<>();
    final ReadingScorer scorer = new ReadingScorer(new ActiveModels(SHIPPED, SETTINGS.modelName(), SETTINGS.modelRoutes(),
        SETTINGS.detector(), ScoringObserver.NONE), SETTINGS, ScoringObserver.NONE, states::get, states::put);
    final EpisodeTracker tracker = new EpisodeTracker(SETTINGS.episodes(), open::get, open::put);
    final List<byte[]> replayed = new ArrayList<>();
    for (int t = 0; t < values.length; t++) {
      final Verdict verdict = scorer.score("pump-7", bytes(reading("pump-7", minute(t), values[t])), minute(t));
      final EpisodeEvent event = tracker.track("pump-7", verdict.score());
      if (event != null) replayed.add(event.toJson());
    }
    assertSameBytes(replayed, values(episodes));
    final List<String> kinds = events(episodes);
    assertEquals("opened", kinds.get(0));
    assertEquals("closed", kinds.get(kinds.size() - 1));
    assertEquals(1, kinds.stream().filter("opened"::equals).count(), "one episode: " + kinds);
    final long flagged = run.scores.readRecordsToList().stream()
        .filter(score -> json(score.value()).get("anomaly").asBoolean()).count();
    assertTrue(flagged > kinds.size(), flagged + " flagged readings, " + kinds.size() + " events");
    assertEquals(kinds.stream().map(kind -> EpisodeEvent.Kind.valueOf(kind.toUpperCase(Locale.ROOT))).toList(),
        observer.episodes);
  }

  @Test
  void aTaskRestoredFromItsStoresMidEpisodeGoesOnWithTheSameEvents() {
    final double[] values = escalating(12);
    final Run whole = new Run();
    for (int t = 0; t < values.length; t++) whole.send("pump-7", reading("pump-7", minute(t), values[t]));

    // A restore gives a new task the stores' contents as the changelogs hold them: copied here, mid-episode.
    final Run before = new Run();
    for (int t = 0; t < 390; t++) before.send("pump-7", reading("pump-7", minute(t), values[t]));
    assertNotNull(before.episodes().get("pump-7"), "the episode is open when the task moves");
    final Run after = new Run();
    after.states().put("pump-7", before.states().get("pump-7"));
    after.episodes().put("pump-7", before.episodes().get("pump-7"));
    for (int t = 390; t < values.length; t++) after.send("pump-7", reading("pump-7", minute(t), values[t]));

    final List<byte[]> split = new ArrayList<>(values(before.anomalies.readRecordsToList()));
    split.addAll(values(after.anomalies.readRecordsToList()));
    assertSameBytes(values(whole.anomalies.readRecordsToList()), split);
  }

  /** {@code sensorId} reports {@code readings} readings a minute apart, each arriving as it is taken. */
  private static void reportEveryMinute(Run run, String sensorId, int readings) {
    for (int t = 0; t < readings; t++) {
      run.send(sensorId, reading(sensorId, minute(t), 20 + t % 3));
      run.driver.advanceWallClockTime(Duration.ofMinutes(1));
    }
  }

  @Test
  void aRegularSensorThatGoesQuietIsReportedSilentOnceByTheWallClockAndResumedWhenBack() {
    final Run run = new Run();
    reportEveryMinute(run, "pump-7", 20); // the last arrives at minute 19; the wall clock is at minute 20
    for (int t = 0; t < 3; t++) run.send("new-1", reading("new-1", minute(17 + t), 20)); // too few to know
    assertTrue(run.anomalies.isEmpty());
    final KeyValueStore<String, byte[]> timers = run.driver.getKeyValueStore(ScoringTopology.SILENCE_TIMER_STORE);
    assertEquals(1, count(timers), "one timer, for the one sensor watched: a check reads only the timers due");

    // Five usual intervals (5 minutes) after the task last heard anything, and not before; the driver runs one
    // check per advance, and a timer fires at the first check of its 10 s bucket: at most one check late.
    run.driver.advanceWallClockTime(Duration.ofMinutes(3));
    assertTrue(run.anomalies.isEmpty(), "quiet for 3 minutes");
    run.driver.advanceWallClockTime(Duration.ofMinutes(2).plusSeconds(10));
    final List<TestRecord<String, byte[]>> silent = run.anomalies.readRecordsToList();
    assertEquals(1, silent.size());
    final JsonNode event = json(silent.get(0).value());
    assertEquals("pump-7", silent.get(0).key());
    assertEquals("silent", event.get("event").asText());
    assertEquals(Timestamps.format(minute(19)), event.get("lastReading").asText());
    assertEquals("PT1M", event.get("usualInterval").asText());
    assertEquals(0, count(timers), "a silent sensor needs no timer until it is back");
    assertEquals(List.of(true), observer.silenceEvents);
    assertEquals(Map.of(TASK, 1L), observer.silentByTask);

    run.driver.advanceWallClockTime(Duration.ofMinutes(30));
    assertTrue(run.anomalies.isEmpty(), "silent once, not at every check");

    run.send("pump-7", reading("pump-7", minute(60), 21));
    final List<TestRecord<String, byte[]>> resumed = run.anomalies.readRecordsToList();
    assertEquals(1, resumed.size());
    assertEquals("resumed", json(resumed.get(0).value()).get("event").asText());
    assertEquals(Timestamps.format(minute(60)), json(resumed.get(0).value()).get("resumedAt").asText());
    assertEquals(1, count(timers), "watched again");
    assertEquals(List.of(true, false), observer.silenceEvents);
    assertEquals(Map.of(TASK, 0L), observer.silentByTask);
  }

  @Test
  void theSilentSensorsOfAStoreWrittenBeforeTheyWereCountedAreCountedOnceAtTheFirstCheck() {
    final Run before = new Run();
    for (int t = 0; t < 20; t++) {
      for (String sensor : List.of("pump-7", "pump-8")) before.send(sensor, reading(sensor, minute(t), 20 + t % 3));
      before.driver.advanceWallClockTime(Duration.ofMinutes(1));
    }
    before.driver.advanceWallClockTime(Duration.ofMinutes(6));
    assertEquals(2, before.anomalies.readRecordsToList().size(), "both silent");

    // The stores as the build before the count left them: the same silence states, no count.
    final Run after = new Run();
    try (var all = before.silence().all()) {
      all.forEachRemaining(e -> {
        if (!e.key.equals(SilenceWatch.SILENT_COUNT_KEY)) after.silence().put(e.key, e.value);
      });
    }
    for (String sensor : List.of("pump-7", "pump-8")) after.states().put(sensor, before.states().get(sensor));
    before.driver.close();
    drivers.remove(before.driver);
    assertEquals(Map.of(TASK, 0L), observer.silentByTask, "a closed task holds no silent sensors");

    after.driver.advanceWallClockTime(Duration.ofSeconds(10));
    assertEquals(Map.of(TASK, 2L), observer.silentByTask);
    assertEquals(2L, ByteBuffer.wrap(after.silence().get(SilenceWatch.SILENT_COUNT_KEY)).getLong(), "kept from now on");
    after.send("pump-7", reading("pump-7", minute(60), 21));
    assertEquals("resumed", json(after.anomalies.readRecordsToList().get(0).value()).get("event").asText());
    assertEquals(Map.of(TASK, 1L), observer.silentByTask);
  }

  @Test
  void aSensorReportingSteadilyIsNeverSilentAndItsTimerMovesOnlyWhenItComesDue() {
    final Run run = new Run();
    reportEveryMinute(run, "pump-7", 60);
    assertTrue(run.anomalies.isEmpty());
    assertEquals(1, count(run.driver.getKeyValueStore(ScoringTopology.SILENCE_TIMER_STORE)));
  }

  @Test
  void aCheckReadsAtMostItsSliceOfTimersAndTheNextOneGoesOn() {
    final StreamSettings d = SETTINGS;
    final Run run = new Run(new StreamSettings(d.inputTopic(), d.scoresTopic(), d.anomaliesTopic(), d.deadLetterTopic(),
        d.modelTopic(), d.modelName(), d.detector(), d.futureTolerance(), d.stateExpiry(), d.episodes(),
        new SilenceSettings(5, Duration.ofMinutes(1), 10, Duration.ofSeconds(10), 1), d.modelRoutes(), d.feedback()));
    for (int t = 0; t < 20; t++) {
      for (String sensor : List.of("a", "b")) run.send(sensor, reading(sensor, minute(t), 20 + t % 3));
      run.driver.advanceWallClockTime(Duration.ofMinutes(1));
    }
    // The driver runs one check per advance: both sensors are past their deadline at the first, which reads one timer.
    run.driver.advanceWallClockTime(Duration.ofMinutes(10));
    final List<String> first = run.anomalies.readRecordsToList().stream().map(TestRecord::key).toList();
    assertEquals(1, first.size(), "a slice of one timer");
    run.driver.advanceWallClockTime(Duration.ofSeconds(10));
    final List<String> both = new ArrayList<>(first);
    run.anomalies.readRecordsToList().forEach(record -> both.add(record.key()));
    assertEquals(List.of("a", "b"), both.stream().sorted().toList(), "the next check goes on with the other");
  }

  private static final String NORMAL_LABEL = DippingSensor.label("pump-7", 300, 1000, "normal");

  /** The minutes at which an episode opened. */
  private static List<Integer> openedAt(List<TestRecord<String, byte[]>> anomalies) {
    return anomalies.stream().map(record -> json(record.value())).filter(e -> e.get("event").asText().equals("opened"))
        .map(e -> (int) ((Timestamps.parse(e.get("start").asText()) - START) / 60_000L)).toList();
  }

  /** At minute 1000 a user labels minutes 300..1000 of the {@link DippingSensor} normal. */
  @Test
  void aRecurringBenignDipAlarmsBeforeItIsLabelledNormalAndNotAfterWhileNewFaultsStillDo() {
    final double[] values = DippingSensor.values();
    final Run unlabelled = new Run();
    final Run labelled = new Run();
    for (int t = 0; t < values.length; t++) {
      unlabelled.send("pump-7", reading("pump-7", minute(t), values[t]));
      labelled.send("pump-7", reading("pump-7", minute(t), values[t]));
      // Given at minute 1000 (its record's time): in effect from the first reading at or after 1001.
      if (t == 1000) labelled.feedback.pipeInput("pump-7", bytes(NORMAL_LABEL), minute(1000));
    }
    final List<TestRecord<String, byte[]>> before = unlabelled.scores.readRecordsToList();
    final List<TestRecord<String, byte[]>> after = labelled.scores.readRecordsToList();
    final List<Integer> flagged = new ArrayList<>();
    for (int t = 0; t < values.length; t++) {
      final JsonNode plain = json(before.get(t).value());
      final JsonNode marked = json(after.get(t).value());
      if (plain.get("anomaly").asBoolean()) flagged.add(t);
      // The same score either way, only marked: feedback never touches the detector.
      ((com.fasterxml.jackson.databind.node.ObjectNode) marked).remove("suppressed");
      assertEquals(plain, marked, "minute " + t);
    }
    assertEquals(List.of(333, 1332, 2752, 2990), flagged, "the seeded sensor's flagged readings");
    assertEquals(List.of(333, 1332, 2752, 2990), openedAt(unlabelled.anomalies.readRecordsToList()),
        "without feedback each flagged dip is an alert");
    assertEquals(List.of(333, 2752, 2990), openedAt(labelled.anomalies.readRecordsToList()),
        "labelled normal, the dip after 1000 is no alert; the deeper dip and the rise are");
    assertEquals("feedback: low departure from the forecast (SUDDEN_ERROR), labelled normal up to 8.046",
        json(after.get(1332).value()).get("suppressed").asText());
    assertEquals(1, after.stream().filter(score -> json(score.value()).has("suppressed")).count());
    assertEquals(List.of("normal received", "normal applied"), observer.feedback);
    assertEquals(List.of("feedback"), observer.suppressed);
    assertNull(labelled.driver.getKeyValueStore(ScoringTopology.FEEDBACK_PENDING_STORE).get("pump-7"), "applied");
  }

  @Test
  void theOutputsDoNotDependOnWhetherTheLabelCameBeforeTheReadingsOrAmongThem() {
    final double[] values = DippingSensor.values();
    final Run among = new Run();
    final Run first = new Run();
    first.feedback.pipeInput(null, bytes(NORMAL_LABEL), minute(1000)); // key-less: keyed by its sensorId on the way
    for (int t = 0; t < values.length; t++) {
      among.send("pump-7", reading("pump-7", minute(t), values[t]));
      first.send("pump-7", reading("pump-7", minute(t), values[t]));
      if (t == 1000) among.feedback.pipeInput("pump-7", bytes(NORMAL_LABEL), minute(1000));
    }
    assertSameBytes(values(among.scores.readRecordsToList()), values(first.scores.readRecordsToList()));
    assertSameBytes(values(among.anomalies.readRecordsToList()), values(first.anomalies.readRecordsToList()));
  }

  @Test
  void aRuleMarksTheFlaggedReadingsItSuppressesAndTheyOpenNoEpisode() {
    final double[] values = DippingSensor.values();
    final Run run = new Run(SETTINGS, RulesParser.parse("""
        pump-*  only high
        pump-7  maintenance %s %s
        """.formatted(Timestamps.format(minute(2900)), Timestamps.format(minute(3050)))));
    for (int t = 0; t < values.length; t++) run.send("pump-7", reading("pump-7", minute(t), values[t]));
    final List<TestRecord<String, byte[]>> scores = run.scores.readRecordsToList();
    assertEquals("rule line 1: pump-* only high", json(scores.get(333).value()).get("suppressed").asText());
    assertEquals("rule line 2: pump-7 maintenance " + Timestamps.format(minute(2900)) + " "
        + Timestamps.format(minute(3050)), json(scores.get(2990).value()).get("suppressed").asText());
    assertTrue(json(scores.get(2990).value()).get("anomaly").asBoolean(), "still flagged: the detector's verdict stands");
    assertEquals(List.of(), openedAt(run.anomalies.readRecordsToList()));
    assertEquals(List.of("direction", "direction", "direction", "maintenance"), observer.suppressed);
  }

  @Test
  void aMalformedLabelIsDeadLetteredAndAnAnomalyLabelIsToldOnTheAnomalies() {
    final Run run = new Run();
    run.feedback.pipeInput("pump-7", bytes("{\"sensorId\":\"pump-7\",\"from\":5,\"to\":1,\"label\":\"normal\"}"), 10L);
    run.feedback.pipeInput("pump-7", bytes("{\"sensorId\":\"pump-7\",\"from\":\"2026-01-01T05:00:00Z\","
        + "\"to\":\"2026-01-01T06:00:00Z\",\"label\":\"anomaly\"}"), minute(600));
    final List<TestRecord<String, byte[]>> letters = run.deadLetters.readRecordsToList();
    assertEquals(1, letters.size());
    assertEquals(DeadLetters.MALFORMED_FEEDBACK, header(letters.get(0), DeadLetters.REASON));
    assertEquals("'to' is before 'from'", header(letters.get(0), DeadLetters.DETAIL));
    assertEquals(SETTINGS.feedback().topic(), header(letters.get(0), DeadLetters.TOPIC));
    assertEquals("pump-7", letters.get(0).key());
    final List<TestRecord<String, byte[]>> anomalies = run.anomalies.readRecordsToList();
    assertEquals(1, anomalies.size());
    assertEquals("{\"event\":\"labelled\",\"sensorId\":\"pump-7\",\"label\":\"anomaly\","
        + "\"from\":\"2026-01-01T05:00:00Z\",\"to\":\"2026-01-01T06:00:00Z\"}",
        new String(anomalies.get(0).value(), StandardCharsets.UTF_8));
    assertEquals(minute(600), anomalies.get(0).timestamp(), "at the time it was given");
    assertEquals(List.of(DeadLetters.MALFORMED_FEEDBACK), observer.deadLetterReasons);
    assertEquals(List.of("anomaly received"), observer.feedback);
    assertNotNull(run.driver.getKeyValueStore(ScoringTopology.FEEDBACK_PENDING_STORE).get("pump-7"), "waiting");
  }
}
