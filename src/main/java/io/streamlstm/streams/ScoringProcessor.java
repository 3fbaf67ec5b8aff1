package io.streamlstm.streams;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Scores each reading against its sensor's state in the store and forwards, by sink name, the score's
 * JSON (to the scores, and to the anomalies when flagged) or, for a refused record, its original bytes
 * with the dead-letter headers. Forwarding by name spares every record the split, filter and map nodes
 * that would otherwise sort the outputs, each a call and a new record per reading.
 */
final class ScoringProcessor implements Processor<String, byte[], String, byte[]> {

  private final ActiveModel models;
  private final ScoringObserver observer;
  private final String storeName;
  private ProcessorContext<String, byte[]> context;
  private ReadingScorer scorer;

  ScoringProcessor(ActiveModel models, ScoringObserver observer, String storeName) {
    this.models = models;
    this.observer = observer;
    this.storeName = storeName;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    final KeyValueStore<String, byte[]> states = context.getStateStore(storeName);
    scorer = new ReadingScorer(models, observer, states::get, states::put);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    final Verdict verdict = scorer.score(record.key(), record.value());
    if (verdict.isScored()) {
      final Headers headers = record.headers();
      final Record<String, byte[]> score = record.withKey(verdict.sensorId())
          .withValue(ScoreJson.write(verdict.sensorId(), verdict.score()))
          .withHeaders(DeadLetters.isStamped(headers) ? DeadLetters.withoutStamp(headers) : headers);
      context.forward(score, ScoringTopology.SCORES_SINK);
      if (verdict.score().anomaly()) context.forward(score, ScoringTopology.ANOMALIES_SINK);
      return;
    }
    final RecordMetadata source = context.recordMetadata().orElseThrow();
    // A re-keyed record had no key when it arrived: the dead letter gets it back as it was.
    final String originalKey = DeadLetters.isStamped(record.headers()) ? null : record.key();
    context.forward(record.withKey(originalKey)
        .withHeaders(DeadLetters.headers(record.headers(), verdict.reason(), verdict.detail(), source.topic(),
            source.partition(), source.offset())), ScoringTopology.DEAD_LETTERS_SINK);
  }
}
