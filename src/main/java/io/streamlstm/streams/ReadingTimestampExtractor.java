package io.streamlstm.streams;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time is the reading's own timestamp, not when it was produced: sensors buffer and resend.
 * A record whose time cannot be read still has to flow, to be dead-lettered by the scorer, so it falls
 * back to the record's timestamp; never negative, since Kafka Streams silently drops such records.
 */
public final class ReadingTimestampExtractor implements TimestampExtractor {

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    if (record.value() instanceof byte[] bytes) {
      try {
        final long timestamp = ReadingJson.timestampOf(bytes);
        if (timestamp >= 0) return timestamp;
      } catch (BadReadingException unreadable) {
        // the scorer reports it; here it only needs some time
      }
    }
    return record.timestamp() >= 0 ? record.timestamp() : Math.max(0, partitionTime);
  }
}
