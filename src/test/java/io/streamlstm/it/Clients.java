package io.streamlstm.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain producers and consumers for integration tests: what an outside client of the service does. */
public final class Clients {

  private Clients() {}

  public static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, "5"),
        new StringSerializer(), new ByteArraySerializer());
  }

  /** A record to send; the value may be null (a tombstone). */
  public record Message(String key, byte[] value) {}

  /** Sends records in order and waits until the broker has them all. */
  public static void produce(String bootstrapServers, String topic, List<Message> records) {
    try (KafkaProducer<String, byte[]> producer = producer(bootstrapServers)) {
      for (Message record : records) producer.send(new ProducerRecord<>(topic, record.key(), record.value()));
      producer.flush();
    }
  }

  /**
   * Reads {@code topic} from the start with read_committed until {@code expected} records arrived, then
   * keeps reading for {@code settle} more so that duplicates, if any, show up too.
   */
  public static List<ConsumerRecord<String, String>> readCommitted(
      String bootstrapServers, String topic, int expected, Duration timeout, Duration settle) {
    return readCommitted(bootstrapServers, topic, expected, timeout, settle, new StringDeserializer());
  }

  /** As {@link #readCommitted(String, String, int, Duration, Duration)}, values as raw bytes. */
  public static List<ConsumerRecord<String, byte[]>> readCommittedBytes(
      String bootstrapServers, String topic, int expected, Duration timeout, Duration settle) {
    return readCommitted(bootstrapServers, topic, expected, timeout, settle, new ByteArrayDeserializer());
  }

  private static <V> List<ConsumerRecord<String, V>> readCommitted(String bootstrapServers, String topic,
      int expected, Duration timeout, Duration settle, Deserializer<V> values) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ConsumerRecord<String, V>> records = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(p, new StringDeserializer(), values)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      long settleEnd = System.nanoTime() + settle.toNanos();
      while (System.nanoTime() < settleEnd) consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }
    return records;
  }

  public static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
