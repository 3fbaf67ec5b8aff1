package io.streamlstm.streams;

import io.streamlstm.detect.alerts.RuleSet;
import io.streamlstm.lstm.Model;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/** The scoring topology: readings in; scores, anomalies and dead letters out; models from their own topic. */
public final class ScoringTopology {

  /** Each sensor's {@link io.streamlstm.detect.SensorState} bytes, keyed by sensor id. */
  public static final String SENSOR_STATE_STORE = "sensor-state";
  /** Each sensor's open episode ({@link EpisodeState} bytes), keyed by sensor id; absent when none is open. */
  public static final String EPISODE_STORE = "episodes";
  /** What the silence watch knows of each sensor ({@link SilenceState} bytes), keyed by sensor id. */
  public static final String SILENCE_STORE = "silence";
  /** The silence watch's timers: due bucket (16 hex digits) then sensor id, empty values. */
  public static final String SILENCE_TIMER_STORE = "silence-timers";
  /** What each sensor learned from feedback and its recent flagged readings (FeedbackMemory bytes), by sensor id. */
  public static final String FEEDBACK_STORE = "feedback";
  /** Each sensor's labels not yet in effect ({@link PendingFeedback} bytes), by sensor id; absent when none wait. */
  public static final String FEEDBACK_PENDING_STORE = "feedback-pending";
  /** The repartition topic (after the application id) that brings labels to their sensor's scoring task. */
  static final String FEEDBACK_BY_SENSOR = "feedback-by-sensor";
  /** The last accepted model file, keyed by model name. */
  public static final String MODEL_STORE = "models";

  static final String SCORES_SINK = "to-scores";
  static final String ANOMALIES_SINK = "to-anomalies";
  static final String DEAD_LETTERS_SINK = "to-dead-letters";
  static final String FEEDBACK_DEAD_LETTERS_SINK = "feedback-to-dead-letters";
  static final String FEEDBACK_ANOMALIES_SINK = "feedback-to-anomalies";
  static final String FEEDBACK_ACCEPTED = "feedback-accepted";

  /** Stream threads an instance runs unless told otherwise (see {@link #streamsDefaults()}). */
  public static final int STREAM_THREADS = 2;

  private ScoringTopology() {}

  /** The Kafka Streams settings this topology is meant to run with; a user's own settings override them. */
  public static Properties streamsDefaults() {
    final Properties defaults = new Properties();
    // Each reading changes its sensor's state and yields a score: both or neither must happen.
    defaults.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // A task reads an input partition and its key-less repartition partition only to reach one store. Each
    // sensor's readings come by one of the two, in order, so there is nothing to line up by time between
    // them. Left at 0, Kafka Streams checks the empty repartition partition before every record, formatting
    // two log strings each time: with keyed readings, the usual case, that is every record.
    defaults.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, Long.toString(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED));
    // Scoring is CPU work, serial on one stream thread: with two, the detector topology keeps 0.83 of a no-op's
    // readings/s instead of 0.75-0.78 (BENCHMARKS.md). Safe since UncleanStopCleanup: a store left by a crash, taken
    // over by a thread, made Kafka Streams 4.4 abort that thread's other tasks' work without rewinding them.
    defaults.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(STREAM_THREADS));
    // Every reading writes a sensor state of about 1 KB to its changelog and a score of about 450 B. Batches of
    // them compress 1.9x (states) and 3.6x (scores) with lz4, and a batch of 64 KiB instead of 16 holds four times
    // as many: the broker and the clients then handle far fewer bytes and requests per reading (BENCHMARKS.md).
    defaults.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    defaults.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), Integer.toString(64 * 1024));
    // One block cache and memtable budget for every RocksDB store of the instance, instead of Kafka Streams'
    // 50 MiB cache and 48 MiB of memtables per store and partition.
    defaults.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class.getName());
    // Kafka 5's behaviour now: the model processor catches its own errors anyway. Kafka Streams 4.4 checks the flag
    // again in a config its partition assignor builds from the main consumer's settings, so the consumer is given it
    // too; else every stream thread logs a warning at start that no setting of ours could silence.
    defaults.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
    defaults.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), "true");
    return defaults;
  }

  /** The topology without rules: every flagged reading alerts unless feedback taught otherwise. */
  public static Topology build(StreamSettings settings, Model shippedModel, ScoringObserver observer) {
    return build(settings, shippedModel, observer, () -> RuleSet.NONE);
  }

  /**
   * @param shippedModel scores until the model topic holds a usable model named {@code settings.modelName()}, and
   *     for every routed name ({@code settings.modelRoutes()}) until the topic holds one for it or the default name
   * @param observer told of every score, dead letter and model switch (metrics)
   * @param rules the rules in effect, asked at each flagged reading (a reloaded file takes effect at the next one)
   */
  public static Topology build(StreamSettings settings, Model shippedModel, ScoringObserver observer,
      Supplier<RuleSet> rules) {
    final Serde<String> text = Serdes.String();
    final Serde<byte[]> bytes = Serdes.ByteArray();
    final StreamsBuilder builder = new StreamsBuilder();

    // Every instance reads the whole model topic, so all of them switch when a model is published.
    // The global store needs no changelog: the compacted topic is its changelog.
    final ActiveModels models = new ActiveModels(shippedModel, settings.modelName(), settings.modelRoutes(),
        settings.detector(), observer);
    builder.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MODEL_STORE), text, bytes).withLoggingDisabled(),
        settings.modelTopic(),
        Consumed.with(text, bytes),
        () -> new ModelUpdateProcessor(models, MODEL_STORE));

    // Sensor states survive restarts and move with their partitions: persistent and changelogged.
    builder.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SENSOR_STATE_STORE), text, bytes));
    // Open episodes likewise, in the same task as their sensor's state, so a restore resumes them where they were.
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EPISODE_STORE), text, bytes));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SILENCE_STORE), text, bytes));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SILENCE_TIMER_STORE), text, bytes));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FEEDBACK_STORE), text, bytes));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FEEDBACK_PENDING_STORE), text, bytes));

    // Values stay raw bytes until the scorer reads them, so no record can fail deserialisation:
    // unreadable ones reach the dead-letter topic like any other refused reading.
    final KStream<String, byte[]> readings = builder.stream(settings.inputTopic(),
        Consumed.with(text, bytes).withTimestampExtractor(new ReadingTimestampExtractor(settings.futureTolerance())));

    final Map<String, KStream<String, byte[]>> byKey = readings.split(Named.as("readings-"))
        .branch((sensorId, value) -> sensorId == null || sensorId.isEmpty(), Branched.as("without-key"))
        .defaultBranch(Branched.as("with-key"));

    // Key-less readings take their sensor id from the value and are repartitioned by it, so each sensor's
    // readings meet its state in one task, in order. Keyed readings skip this extra hop.
    final KStream<String, byte[]> rekeyed = byKey.get("readings-without-key")
        .processValues(SourceStampProcessor::new, Named.as("stamp-source"))
        .selectKey((noKey, value) -> ReadingJson.sensorIdOf(value), Named.as("key-by-sensor"))
        .repartition(Repartitioned.<String, byte[]>as("readings-by-sensor").withKeySerde(text).withValueSerde(bytes));

    // Labels on spans of a sensor's readings ("this was normal"): checked on their own, refused ones to the dead
    // letters and a missed anomaly told on the anomalies (FeedbackIntake, forwarding by sink name), then keyed by
    // sensor and repartitioned, so a label meets its sensor's stores in the scoring task even when it came key-less.
    // The pass-through node is only a name to forward the accepted labels to.
    final KStream<String, byte[]> feedbackIntake = builder.stream(settings.feedback().topic(),
            Consumed.with(text, bytes).withTimestampExtractor(FeedbackIntake.KAFKA_TIME))
        .process(() -> new FeedbackIntake(settings.feedback(), observer), Named.as("take-feedback"));
    feedbackIntake.to(settings.deadLetterTopic(), Produced.with(text, bytes).withName(FEEDBACK_DEAD_LETTERS_SINK));
    feedbackIntake.to(settings.anomaliesTopic(), Produced.with(text, bytes).withName(FEEDBACK_ANOMALIES_SINK));
    final KStream<String, byte[]> labels = feedbackIntake
        .filter((sensorId, label) -> true, Named.as(FEEDBACK_ACCEPTED))
        .repartition(Repartitioned.<String, byte[]>as(FEEDBACK_BY_SENSOR).withKeySerde(text).withValueSerde(bytes));

    // One sensor state in, one reading scored, the new state out: all of it in the scorer and the detector.
    // The processor sends each record straight to its sink by name (ScoringProcessor): a score to the
    // scores; an episode event (opened, updated, closed) to the anomalies, so an operator gets one alert per
    // incident rather than one per flagged reading, and a sensor's going silent and resuming (SilenceWatch,
    // by a wall-clock punctuation, so it is told while nothing arrives); a refused record, with its original bytes and headers
    // that say why (DeadLetters), to the dead letters. A flagged reading that a rule or feedback suppresses
    // (AlertFilter) keeps its score, marked, and opens no episode; the labels come in by the same processor, since
    // only it knows which sensors have labels waiting.
    final KStream<String, byte[]> outputs = byKey.get("readings-with-key")
        .merge(rekeyed, Named.as("all-readings"))
        .merge(labels, Named.as("readings-and-labels"))
        .process(() -> new ScoringProcessor(models, settings, observer, rules, SENSOR_STATE_STORE, EPISODE_STORE),
            Named.as("score"), SENSOR_STATE_STORE, EPISODE_STORE, SILENCE_STORE, SILENCE_TIMER_STORE, FEEDBACK_STORE,
            FEEDBACK_PENDING_STORE);
    outputs.to(settings.scoresTopic(), Produced.with(text, bytes).withName(SCORES_SINK));
    outputs.to(settings.anomaliesTopic(), Produced.with(text, bytes).withName(ANOMALIES_SINK));
    outputs.to(settings.deadLetterTopic(), Produced.with(text, bytes).withName(DEAD_LETTERS_SINK));

    return builder.build();
  }
}
