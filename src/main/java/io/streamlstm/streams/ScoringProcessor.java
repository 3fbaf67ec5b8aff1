package io.streamlstm.streams;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Scores each reading against its sensor's state in the store and forwards either the score's JSON or,
 * for a refused record, its original bytes with the dead-letter headers.
 */
final class ScoringProcessor implements Processor<String, byte[], String, ScoringProcessor.Output> {

  /** The bytes to write and where they go: the dead-letter topic, or the scores (and anomalies). */
  record Output(byte[] bytes, boolean deadLetter, boolean anomaly) {}

  private final ActiveModel models;
  private final ScoringObserver observer;
  private final String storeName;
  private ProcessorContext<String, Output> context;
  private ReadingScorer scorer;

  ScoringProcessor(ActiveModel models, ScoringObserver observer, String storeName) {
    this.models = models;
    this.observer = observer;
    this.storeName = storeName;
  }

  @Override
  public void init(ProcessorContext<String, Output> context) {
    this.context = context;
    final KeyValueStore<String, byte[]> states = context.getStateStore(storeName);
    scorer = new ReadingScorer(models, observer, states::get, states::put);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    final Verdict verdict = scorer.score(record.key(), record.value());
    if (verdict.isScored()) {
      final Output score = new Output(ScoreJson.write(verdict.sensorId(), verdict.score()), false,
          verdict.score().anomaly());
      context.forward(record.withKey(verdict.sensorId()).withValue(score)
          .withHeaders(DeadLetters.withoutStamp(record.headers())));
      return;
    }
    final RecordMetadata source = context.recordMetadata().orElseThrow();
    // A re-keyed record had no key when it arrived: the dead letter gets it back as it was.
    final String originalKey = DeadLetters.isStamped(record.headers()) ? null : record.key();
    context.forward(record.withKey(originalKey).withValue(new Output(record.value(), true, false))
        .withHeaders(DeadLetters.headers(record.headers(), verdict.reason(), verdict.detail(), source.topic(),
            source.partition(), source.offset())));
  }
}
