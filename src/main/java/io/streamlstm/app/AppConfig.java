package io.streamlstm.app;

import io.streamlstm.detect.DetectorConfig;
import io.streamlstm.streams.BoundedRocksDbMemory;
import io.streamlstm.streams.EpisodeSettings;
import io.streamlstm.streams.FeedbackSettings;
import io.streamlstm.streams.ModelRoutes;
import io.streamlstm.streams.ScoringTopology;
import io.streamlstm.streams.SilenceSettings;
import io.streamlstm.streams.StreamSettings;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The service's configuration, from a properties file and the environment (the environment wins).
 *
 * <ul>
 *   <li>{@code streamlstm.*} keys name topics, the model and topic creation (see {@link #KEYS});
 *       environment {@code STREAMLSTM_INPUT_TOPIC} is {@code streamlstm.input.topic}, and so on.
 *   <li>{@code detector.<field>} keys are the detector's settings ({@link DetectorConfig#fromProperties});
 *       environment {@code STREAMLSTM_DETECTOR_WARM_UP_READINGS} is {@code detector.warmUpReadings}.
 *   <li>Every other key of the file goes to Kafka Streams and its clients unchanged (SASL, TLS, any
 *       {@code consumer.}/{@code producer.} prefixed setting). Environment {@code KAFKA_BOOTSTRAP_SERVERS}
 *       is {@code bootstrap.servers}; only names Kafka knows are taken, so {@code KAFKA_HOME} or
 *       {@code KAFKA_OPTS} of a broker image do not leak in.
 * </ul>
 */
public record AppConfig(
    StreamSettings settings, Properties kafka, Path modelFile, boolean createTopics, int topicPartitions,
    int pageSensors, int pagePoints, Path rulesFile) {

  public static final String INPUT_TOPIC = "streamlstm.input.topic";
  public static final String SCORES_TOPIC = "streamlstm.scores.topic";
  public static final String ANOMALIES_TOPIC = "streamlstm.anomalies.topic";
  public static final String DLQ_TOPIC = "streamlstm.dlq.topic";
  public static final String MODEL_TOPIC = "streamlstm.model.topic";
  public static final String MODEL_NAME = "streamlstm.model.name";
  /** Sensor-id globs to model names, {@code pump-*=pumps,valve-*=valves}: the first match wins, the rest get MODEL_NAME. */
  public static final String MODEL_ROUTES = "streamlstm.model.routes";
  /** A model file used while the model topic holds none; without it, the shipped default. */
  public static final String MODEL_FILE = "streamlstm.model.file";
  /** Create missing topics at start (the model topic compacted); off where topics are managed elsewhere. */
  public static final String CREATE_TOPICS = "streamlstm.topics.create";
  public static final String TOPIC_PARTITIONS = "streamlstm.topics.partitions";
  /** How far a reading's time may be ahead of its Kafka record's (ISO-8601 duration, e.g. P1D, PT6H). */
  public static final String FUTURE_TOLERANCE = "streamlstm.future.tolerance";
  /** How long a silent sensor's state is kept (ISO-8601 duration, e.g. P30D; PT0S keeps it for ever). */
  public static final String STATE_TTL = "streamlstm.state.ttl";
  /** The live page keeps this many sensors (the most recently scored) ... */
  public static final String PAGE_SENSORS = "streamlstm.page.sensors";
  /** ... with this many recent points each: together they bound its memory. */
  public static final String PAGE_POINTS = "streamlstm.page.points";

  /** An open episode reports a new peak at most once per this many of its sensor's readings. */
  public static final String EPISODE_UPDATE_EVERY = "streamlstm.episode.update.every";
  /** An episode closes after this many unflagged readings of its sensor in a row. */
  public static final String EPISODE_CLOSE_AFTER = "streamlstm.episode.close.after";

  /** A watched sensor quiet for this many times its usual interval is called silent (0: never). */
  public static final String SILENCE_FACTOR = "streamlstm.silence.factor";
  /** ... and for at least this long (ISO-8601 duration). */
  public static final String SILENCE_MINIMUM = "streamlstm.silence.minimum";
  /** How often the wall clock checks for silent sensors (ISO-8601 duration): how late a silence may be told. */
  public static final String SILENCE_CHECK_EVERY = "streamlstm.silence.check.every";

  /** A rules file that keeps flagged readings from alerting ({@link io.streamlstm.streams.RulesParser}); re-read while running. */
  public static final String RULES_FILE = "streamlstm.rules.file";
  /** Labels on spans of readings ("this was normal"), keyed by sensor id. */
  public static final String FEEDBACK_TOPIC = "streamlstm.feedback.topic";
  /** A label takes effect at readings stamped at least this long after it was given (ISO-8601 duration). */
  public static final String FEEDBACK_DELAY = "streamlstm.feedback.delay";
  /** A departure up to this fraction larger than one labelled normal is still known-benign. */
  public static final String FEEDBACK_MARGIN = "streamlstm.feedback.margin";

  /** MiB of memory all RocksDB stores of the instance share ({@link BoundedRocksDbMemory}). */
  public static final String ROCKSDB_MEMORY_MB = BoundedRocksDbMemory.MEMORY_MB;

  public static final List<String> KEYS = List.of(INPUT_TOPIC, SCORES_TOPIC, ANOMALIES_TOPIC, DLQ_TOPIC,
      MODEL_TOPIC, MODEL_NAME, MODEL_ROUTES, MODEL_FILE, CREATE_TOPICS, TOPIC_PARTITIONS, FUTURE_TOLERANCE, STATE_TTL, PAGE_SENSORS,
      PAGE_POINTS, EPISODE_UPDATE_EVERY, EPISODE_CLOSE_AFTER, SILENCE_FACTOR, SILENCE_MINIMUM,
      SILENCE_CHECK_EVERY, RULES_FILE, FEEDBACK_TOPIC, FEEDBACK_DELAY, FEEDBACK_MARGIN, ROCKSDB_MEMORY_MB);

  private static final String DETECTOR_PREFIX = "detector.";

  public AppConfig {
    if (topicPartitions < 1) throw new IllegalArgumentException(TOPIC_PARTITIONS + " must be >= 1");
    if (pageSensors < 1) throw new IllegalArgumentException(PAGE_SENSORS + " must be >= 1");
    if (pagePoints < 1) throw new IllegalArgumentException(PAGE_POINTS + " must be >= 1");
  }

  /** Defaults, then {@code file} (may be null), then the environment. */
  public static AppConfig load(Path file, Map<String, String> environment) {
    final Map<String, String> all = new HashMap<>();
    if (file != null) all.putAll(readFile(file));
    all.putAll(fromEnvironment(environment));
    return from(all);
  }

  /** The configuration from flat key/value settings as described in the class comment. */
  public static AppConfig from(Map<String, String> values) {
    final StreamSettings defaults = StreamSettings.defaults();
    final Map<String, String> own = new HashMap<>();
    final Map<String, String> detector = new HashMap<>();
    final Properties kafka = ScoringTopology.streamsDefaults();
    kafka.put(StreamsConfig.APPLICATION_ID_CONFIG, "streamlstm");
    kafka.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    for (Map.Entry<String, String> e : values.entrySet()) {
      final String key = e.getKey();
      if (key.startsWith("streamlstm.")) {
        if (!KEYS.contains(key)) throw new IllegalArgumentException("unknown setting " + key + " (known: " + KEYS + ")");
        own.put(key, e.getValue().strip());
      } else if (key.startsWith(DETECTOR_PREFIX)) {
        detector.put(key, e.getValue());
      } else {
        kafka.put(key, e.getValue());
      }
    }
    final StreamSettings settings = new StreamSettings(
        own.getOrDefault(INPUT_TOPIC, defaults.inputTopic()),
        own.getOrDefault(SCORES_TOPIC, defaults.scoresTopic()),
        own.getOrDefault(ANOMALIES_TOPIC, defaults.anomaliesTopic()),
        own.getOrDefault(DLQ_TOPIC, defaults.deadLetterTopic()),
        own.getOrDefault(MODEL_TOPIC, defaults.modelTopic()),
        own.getOrDefault(MODEL_NAME, defaults.modelName()),
        DetectorConfig.fromProperties(detector),
        duration(FUTURE_TOLERANCE, own, defaults.futureTolerance()),
        defaults.stateExpiry().withTtl(duration(STATE_TTL, own, defaults.stateExpiry().ttl())),
        new EpisodeSettings(readings(EPISODE_UPDATE_EVERY, own, defaults.episodes().updateEvery()),
            readings(EPISODE_CLOSE_AFTER, own, defaults.episodes().closeAfter())),
        new SilenceSettings(
            own.containsKey(SILENCE_FACTOR) ? parseInt(SILENCE_FACTOR, own.get(SILENCE_FACTOR)) : defaults.silence().factor(),
            duration(SILENCE_MINIMUM, own, defaults.silence().minimum()),
            defaults.silence().watchAfter(),
            positive(SILENCE_CHECK_EVERY, duration(SILENCE_CHECK_EVERY, own, defaults.silence().every())),
            defaults.silence().slice()),
        modelRoutes(own.get(MODEL_ROUTES)),
        new FeedbackSettings(own.getOrDefault(FEEDBACK_TOPIC, defaults.feedback().topic()),
            duration(FEEDBACK_DELAY, own, defaults.feedback().delay()),
            atLeastZero(FEEDBACK_MARGIN, own, defaults.feedback().margin())));
    // The RocksDB config setter Kafka Streams creates reads its bound from the Kafka Streams settings.
    if (own.containsKey(ROCKSDB_MEMORY_MB)) {
      kafka.put(ROCKSDB_MEMORY_MB, Long.toString(BoundedRocksDbMemory.memoryMb(own.get(ROCKSDB_MEMORY_MB))));
    }
    final Path modelFile = own.containsKey(MODEL_FILE) ? Path.of(own.get(MODEL_FILE)) : null;
    final Path rulesFile = own.containsKey(RULES_FILE) && !own.get(RULES_FILE).isEmpty() ? Path.of(own.get(RULES_FILE)) : null;
    return new AppConfig(settings, kafka, modelFile,
        Boolean.parseBoolean(own.getOrDefault(CREATE_TOPICS, "true")),
        parseInt(TOPIC_PARTITIONS, own.getOrDefault(TOPIC_PARTITIONS, "3")),
        parseInt(PAGE_SENSORS, own.getOrDefault(PAGE_SENSORS, "10000")),
        parseInt(PAGE_POINTS, own.getOrDefault(PAGE_POINTS, "1000")),
        rulesFile);
  }

  /** The same configuration talking to {@code bootstrapServers} (command-line option beats file and environment). */
  public AppConfig withBootstrapServers(String bootstrapServers) {
    final Properties copy = new Properties();
    copy.putAll(kafka);
    copy.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return new AppConfig(settings, copy, modelFile, createTopics, topicPartitions, pageSensors, pagePoints, rulesFile);
  }

  /** The Kafka settings a plain client (consumer, producer, admin) understands: connection and security. */
  public Properties clientSettings(Set<String> clientConfigNames) {
    final Properties client = new Properties();
    for (String name : kafka.stringPropertyNames()) {
      if (clientConfigNames.contains(name)) client.put(name, kafka.getProperty(name));
    }
    return client;
  }

  private static Map<String, String> readFile(Path file) {
    final Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such configuration file: " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    final Map<String, String> values = new HashMap<>();
    for (String name : properties.stringPropertyNames()) values.put(name, properties.getProperty(name));
    return values;
  }

  /** STREAMLSTM_DETECTOR_X_Y → detector.xY, STREAMLSTM_X_Y → streamlstm.x.y, KAFKA_X_Y → x.y (if Kafka knows it). */
  static Map<String, String> fromEnvironment(Map<String, String> environment) {
    final Map<String, String> values = new HashMap<>();
    for (Map.Entry<String, String> e : environment.entrySet()) {
      final String name = e.getKey();
      if (name.startsWith("STREAMLSTM_DETECTOR_")) {
        values.put(DETECTOR_PREFIX + camelCase(name.substring("STREAMLSTM_DETECTOR_".length())), e.getValue());
      } else if (name.startsWith("STREAMLSTM_")) {
        values.put(dotted(name), e.getValue());
      } else if (name.startsWith("KAFKA_")) {
        final String key = dotted(name.substring("KAFKA_".length()));
        if (isKafkaSetting(key)) values.put(key, e.getValue());
      }
    }
    return values;
  }

  private static final Set<String> KAFKA_NAMES = kafkaNames();
  private static final List<String> KAFKA_PREFIXES = List.of(StreamsConfig.CONSUMER_PREFIX,
      StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
      StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.PRODUCER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX);

  private static boolean isKafkaSetting(String key) {
    if (KAFKA_NAMES.contains(key)) return true;
    for (String prefix : KAFKA_PREFIXES) {
      if (key.startsWith(prefix) && KAFKA_NAMES.contains(key.substring(prefix.length()))) return true;
    }
    return false;
  }

  private static Set<String> kafkaNames() {
    final Set<String> names = new HashSet<>(StreamsConfig.configDef().names());
    names.addAll(ConsumerConfig.configNames());
    names.addAll(ProducerConfig.configNames());
    names.addAll(AdminClientConfig.configNames());
    return names;
  }

  private static String dotted(String environmentName) {
    return environmentName.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  private static String camelCase(String environmentName) {
    final String[] words = environmentName.toLowerCase(Locale.ROOT).split("_");
    final StringBuilder out = new StringBuilder(words[0]);
    for (int k = 1; k < words.length; k++) {
      if (!words[k].isEmpty()) out.append(Character.toUpperCase(words[k].charAt(0))).append(words[k].substring(1));
    }
    return out.toString();
  }

  private static Duration duration(String key, Map<String, String> own, Duration fallback) {
    final String text = own.get(key);
    if (text == null) return fallback;
    try {
      final Duration value = Duration.parse(text);
      if (value.isNegative()) {
        throw new IllegalArgumentException("bad value for " + key + ": '" + text + "' is negative");
      }
      return value;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "bad value for " + key + ": '" + text + "' (an ISO-8601 duration such as P30D or PT12H)");
    }
  }

  private static ModelRoutes modelRoutes(String text) {
    try {
      return ModelRoutes.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad value for " + MODEL_ROUTES + ": " + e.getMessage());
    }
  }

  private static Duration positive(String key, Duration value) {
    if (value.isZero()) throw new IllegalArgumentException("bad value for " + key + ": must be more than zero");
    return value;
  }

  /** A count of readings, at least one. */
  private static int readings(String key, Map<String, String> own, int fallback) {
    final String text = own.get(key);
    if (text == null) return fallback;
    final int value = parseInt(key, text);
    if (value < 1) throw new IllegalArgumentException("bad value for " + key + ": '" + text + "' (readings, at least 1)");
    return value;
  }

  private static double atLeastZero(String key, Map<String, String> own, double fallback) {
    final String text = own.get(key);
    if (text == null) return fallback;
    try {
      final double value = Double.parseDouble(text);
      if (value >= 0 && value < Double.POSITIVE_INFINITY) return value;
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException("bad value for " + key + ": '" + text + "' (a number, at least 0)");
  }

  private static int parseInt(String key, String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad value for " + key + ": '" + text + "'");
    }
  }
}
