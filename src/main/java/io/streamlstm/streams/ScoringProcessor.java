package io.streamlstm.streams;

import io.streamlstm.detect.SensorState;
import io.streamlstm.detect.alerts.Feedback;
import io.streamlstm.detect.alerts.RuleSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Scores each reading against its sensor's state in the store and forwards, by sink name, the score's
 * JSON to the scores and any episode event it brings about ({@link EpisodeTracker}) to the anomalies or, for a
 * refused record, its original bytes with the dead-letter headers. Forwarding by name spares every record the split, filter and map nodes
 * that would otherwise sort the outputs, each a call and a new record per reading. A flagged reading passes the
 * {@link AlertFilter} first; labels from the feedback intake come in here too, told apart by their topic. Between
 * records, a wall-clock punctuation sweeps a slice of the store for departed sensors ({@link StateExpiry}).
 */
final class ScoringProcessor implements Processor<String, byte[], String, byte[]> {

  private final ActiveModels models;
  private final StreamSettings settings;
  private final ScoringObserver observer;
  private final Supplier<RuleSet> rules;
  private final String storeName;
  private final String episodeStoreName;
  private ProcessorContext<String, byte[]> context;
  private KeyValueStore<String, byte[]> states;
  private ReadingScorer scorer;
  private EpisodeTracker episodes;
  private AlertFilter alerts;
  /** The repartition topic the labels come by. */
  private String labelsTopic;
  private SilenceWatch silence;
  /** When this task last processed a record, by the wall clock: how long it has heard nothing at all. */
  private long lastProcessedWallMillis;
  /** The last key the previous sweep read, null to start at the first; in memory only (a sweep is idempotent). */
  private String sweptUpTo;
  /** Decoded into again for each state a sweep reads. */
  private SensorState swept;
  private final List<String> expired = new ArrayList<>();

  ScoringProcessor(ActiveModels models, StreamSettings settings, ScoringObserver observer, Supplier<RuleSet> rules,
      String storeName, String episodeStoreName) {
    this.models = models;
    this.settings = settings;
    this.observer = observer;
    this.rules = rules;
    this.storeName = storeName;
    this.episodeStoreName = episodeStoreName;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    states = context.getStateStore(storeName);
    scorer = new ReadingScorer(models, settings, observer, states::get, states::put);
    final KeyValueStore<String, byte[]> open = context.getStateStore(episodeStoreName);
    episodes = new EpisodeTracker(settings.episodes(), open::get, open::put);
    final KeyValueStore<String, byte[]> learned = context.getStateStore(ScoringTopology.FEEDBACK_STORE);
    final KeyValueStore<String, byte[]> pending = context.getStateStore(ScoringTopology.FEEDBACK_PENDING_STORE);
    alerts = new AlertFilter(rules, settings.feedback(), observer, learned::get, learned::put, pending::get, pending::put,
        states::get);
    // Few sensors have labels waiting at any time: knowing which, in memory, spares every other reading a store read.
    try (KeyValueIterator<String, byte[]> waiting = pending.all()) {
      while (waiting.hasNext()) {
        final KeyValue<String, byte[]> entry = waiting.next();
        alerts.pendingFound(entry.key, entry.value);
      }
    }
    labelsTopic = context.applicationId() + "-" + ScoringTopology.FEEDBACK_BY_SENSOR + "-repartition";
    if (settings.silence().enabled()) {
      silence = new SilenceWatch(settings.silence(), context.getStateStore(ScoringTopology.SILENCE_STORE),
          context.getStateStore(ScoringTopology.SILENCE_TIMER_STORE), states, observer, context.taskId().toString());
      lastProcessedWallMillis = context.currentSystemTimeMs();
      context.schedule(settings.silence().every(), PunctuationType.WALL_CLOCK_TIME, now -> silence.check(now,
          context.currentStreamTimeMs(), now - lastProcessedWallMillis,
          (sensorId, event) -> context.forward(new Record<>(sensorId, event, now), ScoringTopology.ANOMALIES_SINK)));
    }
    final StateExpiry expiry = settings.stateExpiry();
    if (expiry.enabled()) context.schedule(expiry.every(), PunctuationType.WALL_CLOCK_TIME, now -> sweep());
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (labelsTopic.equals(context.recordMetadata().orElseThrow().topic())) {
      // Written by the intake, which checked it: a stored label that cannot be read is the code's fault, not the user's.
      for (Feedback label : PendingFeedback.decode(record.value())) alerts.received(record.key(), label);
      return; // a label is not a reading: the task has still heard nothing from its sensors
    }
    lastProcessedWallMillis = context.currentSystemTimeMs();
    // The record's time is the reading's, unless the extractor kept the Kafka time of one stamped too far ahead.
    final Verdict verdict = scorer.score(record.key(), record.value(), record.timestamp());
    if (verdict.isScored()) {
      final String suppressed = alerts.judge(verdict.sensorId(), verdict.score());
      final Headers headers = record.headers();
      final Record<String, byte[]> score = record.withKey(verdict.sensorId())
          .withValue(ScoreJson.write(verdict.sensorId(), verdict.model(), verdict.score(), suppressed))
          .withHeaders(DeadLetters.isStamped(headers) ? DeadLetters.withoutStamp(headers) : headers);
      context.forward(score, ScoringTopology.SCORES_SINK);
      final EpisodeEvent event =
          episodes.track(verdict.sensorId(), verdict.score(), verdict.score().anomaly() && suppressed == null);
      if (event != null) {
        context.forward(score.withValue(event.toJson()), ScoringTopology.ANOMALIES_SINK);
        observer.episode(event);
      }
      if (silence != null) {
        final byte[] resumed = silence.reading(verdict.sensorId(), verdict.score().timestampMillis(),
            verdict.sensorReadings(), lastProcessedWallMillis);
        if (resumed != null) context.forward(score.withValue(resumed), ScoringTopology.ANOMALIES_SINK);
      }
      return;
    }
    final RecordMetadata source = context.recordMetadata().orElseThrow();
    // A re-keyed record had no key when it arrived: the dead letter gets it back as it was.
    final String originalKey = DeadLetters.isStamped(record.headers()) ? null : record.key();
    context.forward(record.withKey(originalKey)
        .withHeaders(DeadLetters.headers(record.headers(), verdict.reason(), verdict.detail(), source.topic(),
            source.partition(), source.offset())), ScoringTopology.DEAD_LETTERS_SINK);
  }

  @Override
  public void close() {
    if (silence != null) silence.close();
  }

  /**
   * Reads the next {@link StateExpiry#slice()} states after the last one read, and removes those whose last
   * reading lies more than the ttl behind the task's stream time; past the last key it starts again at the
   * first. A state that cannot be decoded is left to the scorer, which reports it at the sensor's next reading.
   */
  private void sweep() {
    final long streamTime = context.currentStreamTimeMs();
    final StateExpiry expiry = settings.stateExpiry();
    int read = 0;
    String last = null;
    boolean more;
    try (KeyValueIterator<String, byte[]> slice = sweptUpTo == null ? states.all() : states.range(sweptUpTo, null)) {
      while (read < expiry.slice() && slice.hasNext()) {
        final KeyValue<String, byte[]> entry = slice.next();
        if (entry.key.equals(sweptUpTo)) continue; // the range starts at the key read last time
        read++;
        last = entry.key;
        try {
          if (swept == null) {
            swept = SensorState.decode(entry.value);
          } else {
            SensorState.decodeInto(entry.value, swept);
          }
        } catch (IllegalArgumentException unreadable) {
          swept = null; // half overwritten
          continue;
        }
        if (expiry.expired(swept.lastTimestampMillis(), streamTime)) expired.add(entry.key);
      }
      more = slice.hasNext();
    }
    sweptUpTo = more ? last : null;
    for (String key : expired) {
      states.delete(key);
      if (silence != null) silence.departed(key);
    }
    if (!expired.isEmpty()) observer.statesExpired(expired.size());
    expired.clear();
  }
}
