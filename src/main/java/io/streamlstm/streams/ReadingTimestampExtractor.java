package io.streamlstm.streams;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time is the reading's own timestamp, not when it was produced: sensors buffer and resend.
 * A record whose time cannot be read still has to flow, to be dead-lettered by the scorer, so it takes the
 * partition's time, which it does not move: one malformed record written now amid a backfill of old readings
 * would otherwise carry the stream time to now, and the sweep would find every sensor of its task departed. Only
 * the partition's first record, which has no partition time yet, falls back to the record's timestamp; never
 * negative, since Kafka Streams silently drops such records. A reading stamped too far ahead of its record
 * ({@link FutureTimestamps}) takes the record's timestamp: it must not move the stream time (nor, by it, the
 * expiry of states) into the future, and the scorer then sees the reading's time ahead of the record's, and
 * refuses it.
 */
public final class ReadingTimestampExtractor implements TimestampExtractor {

  private final long futureToleranceMillis;

  public ReadingTimestampExtractor(Duration futureTolerance) {
    this.futureToleranceMillis = futureTolerance.toMillis();
  }

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    if (record.value() instanceof byte[] bytes) {
      try {
        final long timestamp = ReadingJson.timestampOf(bytes);
        if (timestamp >= 0 && !FutureTimestamps.tooFarAhead(timestamp, record.timestamp(), futureToleranceMillis)) {
          return timestamp;
        }
      } catch (BadReadingException unreadable) {
        if (partitionTime >= 0) return partitionTime; // the scorer reports it; here it only needs some time
      }
    }
    return record.timestamp() >= 0 ? record.timestamp() : Math.max(0, partitionTime);
  }
}
