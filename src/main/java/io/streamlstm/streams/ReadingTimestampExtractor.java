package io.streamlstm.streams;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time is the reading's own timestamp, not when it was produced: sensors buffer and resend.
 * A record whose time cannot be read still has to flow, to be dead-lettered by the scorer, so it falls
 * back to the record's timestamp; never negative, since Kafka Streams silently drops such records. So does
 * a reading stamped too far ahead of its record ({@link FutureTimestamps}): it must not move the stream time
 * (nor, by it, the expiry of states) into the future, and the scorer then sees the reading's time ahead of
 * the record's, and refuses it.
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
        // the scorer reports it; here it only needs some time
      }
    }
    return record.timestamp() >= 0 ? record.timestamp() : Math.max(0, partitionTime);
  }
}
