package io.streamlstm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.detect.DetectorConfig;
import io.streamlstm.detect.Explanation;
import io.streamlstm.streams.BoundedRocksDbMemory;
import io.streamlstm.streams.EpisodeSettings;
import io.streamlstm.streams.FeedbackSettings;
import io.streamlstm.streams.ModelRoutes;
import io.streamlstm.streams.StreamSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppConfigTest {

  @TempDir Path dir;

  private Path file(String... lines) throws IOException {
    final Path file = dir.resolve("app.properties");
    Files.write(file, java.util.List.of(lines));
    return file;
  }

  @Test
  void withNothingSetTheDefaultsScoreExactlyOnceFromSensorReadings() {
    final AppConfig config = AppConfig.load(null, Map.of());
    assertEquals(StreamSettings.defaults(), config.settings());
    assertEquals(StreamsConfig.EXACTLY_ONCE_V2, config.kafka().getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    assertEquals("-1", config.kafka().getProperty(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG));
    assertEquals("2", config.kafka().getProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
    assertEquals("lz4", config.kafka().getProperty("producer.compression.type"));
    assertEquals("65536", config.kafka().getProperty("producer.batch.size"));
    assertEquals(BoundedRocksDbMemory.class.getName(), config.kafka().getProperty(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
    assertNull(config.kafka().getProperty(AppConfig.ROCKSDB_MEMORY_MB), "the setter's own default applies");
    assertEquals("streamlstm", config.kafka().getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
    assertNull(config.modelFile());
    assertNull(config.rulesFile(), "no rules: every flagged reading alerts");
    assertEquals(FeedbackSettings.DEFAULT, config.settings().feedback());
    assertTrue(config.createTopics());
  }

  @Test
  void theFileSetsTopicsDetectorAndPassesEveryKafkaSettingThroughUnchanged() throws IOException {
    final AppConfig config = AppConfig.load(file(
        "streamlstm.input.topic=plant-readings",
        "streamlstm.dlq.topic=plant-dlq",
        "streamlstm.model.name=plant",
        "streamlstm.model.routes=pump-*=pumps, valve-?=valves",
        "streamlstm.model.file=/models/plant.lstm",
        "streamlstm.topics.create=false",
        "streamlstm.episode.update.every=5",
        "streamlstm.episode.close.after=60",
        "streamlstm.silence.factor=8",
        "streamlstm.silence.minimum=PT10M",
        "streamlstm.silence.check.every=PT2S",
        "streamlstm.rules.file=/etc/streamlstm/rules.txt",
        "streamlstm.feedback.topic=plant-feedback",
        "streamlstm.feedback.delay=PT5M",
        "streamlstm.feedback.margin=0.5",
        "detector.warmUpReadings=7",
        "detector.anomalyThreshold=0.95",
        "bootstrap.servers=broker-1:9093",
        "security.protocol=SASL_SSL",
        "sasl.mechanism=PLAIN",
        "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";",
        "ssl.truststore.location=/etc/kafka/truststore.jks",
        "producer.compression.type=zstd",
        "num.stream.threads=4",
        "processing.guarantee=at_least_once"), Map.of());

    assertEquals("plant-readings", config.settings().inputTopic());
    assertEquals("plant-dlq", config.settings().deadLetterTopic());
    assertEquals("anomaly-scores", config.settings().scoresTopic(), "unset keys keep their default");
    assertEquals("plant", config.settings().modelName());
    assertEquals(ModelRoutes.parse("pump-*=pumps,valve-?=valves"), config.settings().modelRoutes());
    assertEquals("valves", config.settings().modelRoutes().modelOf("valve-1", "plant"));
    assertEquals("plant", config.settings().modelRoutes().modelOf("boiler-1", "plant"), "the rest: the default model");
    assertEquals(Path.of("/models/plant.lstm"), config.modelFile());
    assertFalse(config.createTopics());
    assertEquals(new EpisodeSettings(5, 60), config.settings().episodes());
    assertEquals(8, config.settings().silence().factor());
    assertEquals(Duration.ofMinutes(10), config.settings().silence().minimum());
    assertEquals(Duration.ofSeconds(2), config.settings().silence().every());
    assertEquals(Path.of("/etc/streamlstm/rules.txt"), config.rulesFile());
    assertEquals(new FeedbackSettings("plant-feedback", Duration.ofMinutes(5), 0.5), config.settings().feedback());
    assertEquals(7, config.settings().detector().warmUpReadings());
    assertEquals(0.95, config.settings().detector().anomalyThreshold());
    assertEquals(DetectorConfig.defaults().bandSigmas(), config.settings().detector().bandSigmas());

    final Properties kafka = config.kafka();
    assertEquals("broker-1:9093", kafka.getProperty("bootstrap.servers"));
    assertEquals("SASL_SSL", kafka.getProperty("security.protocol"));
    assertEquals("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";",
        kafka.getProperty("sasl.jaas.config"));
    assertEquals("/etc/kafka/truststore.jks", kafka.getProperty("ssl.truststore.location"));
    assertEquals("zstd", kafka.getProperty("producer.compression.type"));
    assertEquals("4", kafka.getProperty("num.stream.threads"));
    assertEquals("at_least_once", kafka.getProperty("processing.guarantee"), "the file may opt out of exactly-once");
    assertFalse(kafka.stringPropertyNames().stream().anyMatch(k -> k.startsWith("streamlstm.") || k.startsWith("detector.")),
        "our own keys are not handed to Kafka (but for the RocksDB bound, when set: its config setter reads it there)");

    final Properties producer = config.clientSettings(ProducerConfig.configNames());
    assertEquals("SASL_SSL", producer.getProperty("security.protocol"));
    assertNull(producer.getProperty("num.stream.threads"), "plain clients get only what they understand");
  }

  @Test
  void environmentVariablesOverrideTheFile() throws IOException {
    final AppConfig config = AppConfig.load(file("streamlstm.input.topic=from-file", "bootstrap.servers=file:9092"),
        Map.of("STREAMLSTM_INPUT_TOPIC", "from-env",
            "STREAMLSTM_DETECTOR_WARM_UP_READINGS", "11",
            "STREAMLSTM_STATE_TTL", "P90D",
            "STREAMLSTM_FUTURE_TOLERANCE", "PT6H",
            "KAFKA_BOOTSTRAP_SERVERS", "env:9092",
            "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
            "KAFKA_PRODUCER_LINGER_MS", "5",
            "KAFKA_HOME", "/opt/kafka",
            "KAFKA_HEAP_OPTS", "-Xmx1g",
            "PATH", "/usr/bin"));
    assertEquals("from-env", config.settings().inputTopic());
    assertEquals(11, config.settings().detector().warmUpReadings());
    assertEquals(Duration.ofDays(90), config.settings().stateExpiry().ttl());
    assertEquals(Duration.ofHours(6), config.settings().futureTolerance());
    assertEquals("pump-*=pumps", AppConfig.load(null, Map.of("STREAMLSTM_MODEL_ROUTES", "pump-*=pumps")).settings()
        .modelRoutes().toString());
    // A fleet without a daily routine, configured as a container would be.
    assertEquals(Set.of(Explanation.Reason.ROUTINE), AppConfig.load(null,
        Map.of("STREAMLSTM_DETECTOR_EVIDENCES_OFF", "routine")).settings().detector().evidencesOff());
    assertEquals("env:9092", config.kafka().getProperty("bootstrap.servers"));
    assertEquals("SCRAM-SHA-512", config.kafka().getProperty("sasl.mechanism"));
    assertEquals("5", config.kafka().getProperty("producer.linger.ms"));
    assertNull(config.kafka().getProperty("home"), "KAFKA_HOME of a broker image is not a Kafka setting");
    assertNull(config.kafka().getProperty("heap.opts"));
  }

  @Test
  void mistypedOrBadSettingsAreRefusedWithTheirName() throws IOException {
    assertRefusal("streamlstm.input.topics=x", "streamlstm.input.topics");
    assertRefusal("detector.warmUpReadings=many", "detector.warmUpReadings");
    assertRefusal("streamlstm.state.ttl=30", "streamlstm.state.ttl: '30' (an ISO-8601 duration such as P30D or PT12H)");
    assertRefusal("streamlstm.future.tolerance=-PT1H", "streamlstm.future.tolerance");
    assertRefusal("streamlstm.episode.close.after=0", "streamlstm.episode.close.after: '0' (readings, at least 1)");
    assertRefusal("streamlstm.episode.update.every=often", "streamlstm.episode.update.every");
    assertRefusal("streamlstm.silence.minimum=5m", "streamlstm.silence.minimum");
    assertRefusal("streamlstm.silence.check.every=PT0S", "streamlstm.silence.check.every: must be more than zero");
    assertRefusal("streamlstm.model.routes=pump-*:pumps", "streamlstm.model.routes: route 1 'pump-*:pumps' is not glob=model");
    assertRefusal("streamlstm.feedback.delay=1m", "streamlstm.feedback.delay");
    assertRefusal("streamlstm.feedback.margin=-0.1", "streamlstm.feedback.margin: '-0.1' (a number, at least 0)");
    assertRefusal("streamlstm.feedback.margin=wide", "streamlstm.feedback.margin");
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> AppConfig.load(dir.resolve("missing.properties"), Map.of())).getMessage().contains("missing.properties"));
  }

  @Test
  void theRocksDbBoundReachesTheConfigSetterThroughKafkaStreamsSettings() throws IOException {
    final AppConfig fromFile = AppConfig.load(file("streamlstm.rocksdb.memory.mb=256"), Map.of());
    assertEquals("256", fromFile.kafka().getProperty(AppConfig.ROCKSDB_MEMORY_MB));
    final AppConfig fromEnvironment = AppConfig.load(null, Map.of("STREAMLSTM_ROCKSDB_MEMORY_MB", " 64 "));
    assertEquals("64", fromEnvironment.kafka().getProperty(AppConfig.ROCKSDB_MEMORY_MB));
    assertRefusal("streamlstm.rocksdb.memory.mb=1g", "streamlstm.rocksdb.memory.mb must be a whole number of MiB, got '1g'");
    assertRefusal("streamlstm.rocksdb.memory.mb=0", "streamlstm.rocksdb.memory.mb must be >= 1");
  }

  @Test
  void theLivePageBoundsAreSettableAndMustLeaveRoom() {
    final AppConfig defaults = AppConfig.from(Map.of());
    assertEquals(10_000, defaults.pageSensors());
    assertEquals(1_000, defaults.pagePoints());
    final AppConfig set = AppConfig.load(null, Map.of("STREAMLSTM_PAGE_SENSORS", "50", "STREAMLSTM_PAGE_POINTS", "200"));
    assertEquals(50, set.pageSensors());
    assertEquals(200, set.pagePoints());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> AppConfig.from(Map.of(AppConfig.PAGE_POINTS, "0")))
        .getMessage().contains(AppConfig.PAGE_POINTS));
  }

  /** A file of this one line is refused with a message holding {@code named}. */
  private void assertRefusal(String line, String named) throws IOException {
    final Path bad = file(line);
    final String message = assertThrows(IllegalArgumentException.class, () -> AppConfig.load(bad, Map.of())).getMessage();
    assertTrue(message.contains(named), message);
  }
}
