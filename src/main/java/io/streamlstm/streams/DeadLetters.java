package io.streamlstm.streams;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Headers of a dead-letter record. The value is the original bytes, untouched, so the record can be
 * fixed and sent again; the headers say why it was refused and where it came from.
 */
public final class DeadLetters {

  /** A short word: a {@link io.streamlstm.detect.Rejection.Reason} name or one of the reasons below. */
  public static final String REASON = "streamlstm.dlq.reason";
  public static final String DETAIL = "streamlstm.dlq.detail";
  public static final String TOPIC = "streamlstm.dlq.topic";
  public static final String PARTITION = "streamlstm.dlq.partition";
  public static final String OFFSET = "streamlstm.dlq.offset";

  /** The sensor's stored state could not be decoded; the sensor starts over with its next reading. */
  public static final String STATE_UNREADABLE = "STATE_UNREADABLE";
  /** The reading's time is further ahead of its Kafka record's than the tolerance: a sensor clock gone wrong. */
  public static final String FUTURE_TIMESTAMP = "FUTURE_TIMESTAMP";
  /** The detector failed on this reading; kept apart so one bad reading cannot stop the stream. */
  public static final String SCORING_FAILED = "SCORING_FAILED";
  /** A record on the feedback topic that is not a label ({@link FeedbackJson}). */
  public static final String MALFORMED_FEEDBACK = "MALFORMED_FEEDBACK";

  private DeadLetters() {}

  /** Where a record was first read, as headers: set before a repartition hides it. */
  public static void stampSource(Headers headers, String topic, int partition, long offset) {
    headers.remove(TOPIC).remove(PARTITION).remove(OFFSET);
    headers.add(TOPIC, utf8(topic)).add(PARTITION, utf8(Integer.toString(partition))).add(OFFSET,
        utf8(Long.toString(offset)));
  }

  /** True when {@link #stampSource} was applied, i.e. the record came key-less and was re-keyed. */
  public static boolean isStamped(Headers headers) {
    return headers.lastHeader(TOPIC) != null;
  }

  /** The original headers and the dead-letter ones (the source already stamped or given here). */
  public static Headers headers(Headers original, String reason, String detail, String topic, int partition,
      long offset) {
    final Headers headers = new RecordHeaders(original.toArray());
    if (!isStamped(headers)) stampSource(headers, topic, partition, offset);
    headers.remove(REASON).remove(DETAIL);
    return headers.add(REASON, utf8(reason)).add(DETAIL, utf8(detail));
  }

  /** The original headers without the source stamp: that is internal to the topology. */
  public static Headers withoutStamp(Headers original) {
    final Headers headers = new RecordHeaders(original.toArray());
    return headers.remove(TOPIC).remove(PARTITION).remove(OFFSET);
  }

  /** A header's text, or null when absent. */
  public static String text(Headers headers, String key) {
    final Header header = headers.lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String text) {
    return (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
  }
}
