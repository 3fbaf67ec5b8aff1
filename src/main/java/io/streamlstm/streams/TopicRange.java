package io.streamlstm.streams;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the records of a topic written between two times: each partition from the first offset at or
 * after {@code from} (the broker's time index, {@code offsetsForTimes}) up to the first offset after
 * {@code to}, never past the end offsets seen when reading starts. Records come in each partition's order.
 */
public final class TopicRange {

  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration STALL_LIMIT = Duration.ofSeconds(60);

  private TopicRange() {}

  /**
   * Hands every record in range to {@code sink}; returns how many there were. {@code Long.MIN_VALUE} and
   * {@code Long.MAX_VALUE} mean "from the beginning" and "to the end".
   */
  public static long read(org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer, String topic,
      long fromMillis, long toMillis, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
    final List<PartitionInfo> infos = consumer.partitionsFor(topic);
    if (infos == null || infos.isEmpty()) throw new IllegalArgumentException("no such topic: " + topic);
    final List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    final Map<TopicPartition, Long> start = fromMillis == Long.MIN_VALUE ? consumer.beginningOffsets(partitions)
        : offsetsAt(consumer, partitions, fromMillis, end);
    final Map<TopicPartition, Long> stop = toMillis == Long.MAX_VALUE ? end
        : offsetsAt(consumer, partitions, toMillis + 1, end);
    final Set<TopicPartition> open = new HashSet<>();
    for (TopicPartition p : partitions) {
      if (start.get(p) < stop.get(p)) {
        consumer.seek(p, start.get(p));
        open.add(p);
      }
    }
    consumer.pause(partitions.stream().filter(p -> !open.contains(p)).toList());
    long count = 0;
    long lastProgress = System.nanoTime();
    while (!open.isEmpty()) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        final TopicPartition p = new TopicPartition(record.topic(), record.partition());
        if (record.offset() < stop.get(p)) {
          sink.accept(record);
          count++;
          lastProgress = System.nanoTime();
        }
      }
      // Positions, not record offsets, say when a partition is done: transaction markers take offsets too.
      for (TopicPartition p : List.copyOf(open)) {
        if (consumer.position(p) >= stop.get(p)) {
          open.remove(p);
          consumer.pause(List.of(p));
        }
      }
      if (System.nanoTime() - lastProgress > STALL_LIMIT.toNanos()) {
        throw new IllegalStateException("no progress reading " + topic + " for " + STALL_LIMIT + "; still open: " + open);
      }
    }
    return count;
  }

  private static Map<TopicPartition, Long> offsetsAt(org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer,
      List<TopicPartition> partitions, long millis, Map<TopicPartition, Long> end) {
    final Map<TopicPartition, Long> query = new HashMap<>();
    for (TopicPartition p : partitions) query.put(p, millis);
    final Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
    final Map<TopicPartition, Long> offsets = new HashMap<>();
    for (TopicPartition p : partitions) {
      final OffsetAndTimestamp at = found.get(p);
      // No record that late: nothing to read in this partition after that time.
      offsets.put(p, at == null ? end.get(p) : Math.min(at.offset(), end.get(p)));
    }
    return offsets;
  }
}
