package io.streamlstm.streams;

import io.streamlstm.detect.alerts.Feedback;
import io.streamlstm.detect.alerts.Label;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Takes in the feedback topic's records: a record that is not a label goes to the dead letters; an
 * {@code anomaly} label is told on the anomalies topic ({@code "event":"labelled"}); every label goes on, keyed by
 * its sensor, to the scoring task that keeps the sensor's state ({@link AlertFilter}), each sink named.
 *
 * <p>The label forwarded carries its effective time, found here from the record's own Kafka time, and is stamped
 * with the start of its span (or its Kafka time, if earlier): the scoring task's stream time, which says when a
 * sensor departed or went silent, must follow the readings' times, and a label given now about a backfill's past
 * must not move it forward.
 */
final class FeedbackIntake implements Processor<String, byte[], String, byte[]> {

  /** The record's Kafka time; a record without one (from a pre-0.10 client) counts as given at the epoch. */
  static final TimestampExtractor KAFKA_TIME = (ConsumerRecord<Object, Object> record, long partitionTime) ->
      Math.max(0, record.timestamp());

  private final FeedbackSettings settings;
  private final ScoringObserver observer;
  private ProcessorContext<String, byte[]> context;

  FeedbackIntake(FeedbackSettings settings, ScoringObserver observer) {
    this.settings = settings;
    this.observer = observer;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    final FeedbackJson.SensorFeedback label;
    try {
      label = FeedbackJson.parse(record.key(), record.value(), record.timestamp(), settings.delay());
    } catch (BadReadingException e) {
      final RecordMetadata source = context.recordMetadata().orElseThrow();
      observer.deadLettered(DeadLetters.MALFORMED_FEEDBACK);
      context.forward(record.withHeaders(DeadLetters.headers(record.headers(), DeadLetters.MALFORMED_FEEDBACK,
          e.getMessage(), source.topic(), source.partition(), source.offset())), ScoringTopology.FEEDBACK_DEAD_LETTERS_SINK);
      return;
    }
    final Feedback feedback = label.feedback();
    observer.feedback(feedback.label().wireName(), AlertFilter.RECEIVED);
    if (feedback.label() == Label.ANOMALY) {
      context.forward(record.withKey(label.sensorId()).withValue(new JsonObjectWriter()
          .field("event", "labelled")
          .field("sensorId", label.sensorId())
          .field("label", feedback.label().wireName())
          .field("from", Timestamps.format(feedback.fromMillis()))
          .field("to", Timestamps.format(feedback.toMillis()))
          .end()), ScoringTopology.FEEDBACK_ANOMALIES_SINK);
    }
    context.forward(new Record<>(label.sensorId(), PendingFeedback.encode(List.of(feedback)),
        Math.max(0, Math.min(feedback.fromMillis(), record.timestamp())), new RecordHeaders()),
        ScoringTopology.FEEDBACK_ACCEPTED);
  }
}
