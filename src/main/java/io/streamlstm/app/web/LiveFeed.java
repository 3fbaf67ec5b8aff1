package io.streamlstm.app.web;

import io.streamlstm.streams.DeadLetters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the scores and dead-letter topics into a {@link LiveView}, as any outside client would: a plain
 * consumer, read_committed (never a score that is rolled back), assigned every partition without a group.
 * So whichever instance serves the page sees the output of all instances, and the page can never
 * hold up or rebalance the scoring. On start each partition is read back from at most
 * {@code readBack} records before its end, so the page opens with recent history instead of replaying
 * the topic.
 */
final class LiveFeed implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
  /** How often partitions are looked for: the topics may not exist yet, or grow. */
  private static final Duration DISCOVERY_INTERVAL = Duration.ofSeconds(5);
  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String scoresTopic;
  private final String deadLetterTopic;
  private final long readBack;
  private final LiveView view;
  private final Thread thread;
  private volatile boolean closed;

  private LiveFeed(Properties clientSettings, String scoresTopic, String deadLetterTopic, long readBack,
      LiveView view) {
    final Properties p = new Properties();
    p.putAll(clientSettings);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "streamlstm-live-page");
    // The page looks for the topics before the service may have created them: on a broker that creates
    // topics on first use, that look must not create them with the broker's default partition count.
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    this.scoresTopic = scoresTopic;
    this.deadLetterTopic = deadLetterTopic;
    this.readBack = readBack;
    this.view = view;
    this.thread = new Thread(this::run, "streamlstm-live-page-feed");
    thread.setDaemon(true);
  }

  /** Starts reading in a thread of its own. {@code clientSettings} are the connection and security settings. */
  static LiveFeed start(Properties clientSettings, String scoresTopic, String deadLetterTopic, long readBack,
      LiveView view) {
    final LiveFeed feed = new LiveFeed(clientSettings, scoresTopic, deadLetterTopic, readBack, view);
    feed.thread.start();
    return feed;
  }

  private void run() {
    long nextDiscovery = 0;
    try {
      while (!closed) {
        if (System.nanoTime() - nextDiscovery >= 0) {
          assignNewPartitions();
          nextDiscovery = System.nanoTime() + DISCOVERY_INTERVAL.toNanos();
        }
        if (consumer.assignment().isEmpty()) {
          Thread.sleep(POLL.toMillis());
          continue;
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          if (record.topic().equals(scoresTopic)) {
            view.addScore(record.key(), record.value());
          } else {
            view.addDeadLetter(record.timestamp(), record.key(),
                DeadLetters.text(record.headers(), DeadLetters.REASON),
                DeadLetters.text(record.headers(), DeadLetters.DETAIL),
                source(record), record.value());
          }
        }
      }
    } catch (WakeupException | InterruptedException stopping) {
      // close() woke the poll.
    } catch (KafkaException e) {
      LOG.error("The live page stopped reading {} and {}: {}", scoresTopic, deadLetterTopic, e.toString());
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Where the refused record was first read, from the dead-letter headers: {@code topic/partition@offset}. */
  private static String source(ConsumerRecord<String, byte[]> record) {
    final String topic = DeadLetters.text(record.headers(), DeadLetters.TOPIC);
    if (topic == null) return null;
    return topic + "/" + DeadLetters.text(record.headers(), DeadLetters.PARTITION) + "@"
        + DeadLetters.text(record.headers(), DeadLetters.OFFSET);
  }

  private void assignNewPartitions() {
    final Set<TopicPartition> assigned = consumer.assignment();
    final List<TopicPartition> found = new ArrayList<>();
    for (String topic : List.of(scoresTopic, deadLetterTopic)) {
      try {
        for (PartitionInfo info : consumer.partitionsFor(topic, DISCOVERY_INTERVAL)) {
          final TopicPartition tp = new TopicPartition(topic, info.partition());
          if (!assigned.contains(tp)) found.add(tp);
        }
      } catch (org.apache.kafka.common.errors.TimeoutException notYet) {
        // The broker did not answer in time: look again at the next discovery (also below).
      }
    }
    if (found.isEmpty()) return;
    final Map<TopicPartition, Long> begin;
    final Map<TopicPartition, Long> end;
    try {
      begin = consumer.beginningOffsets(found, DISCOVERY_INTERVAL);
      end = consumer.endOffsets(found, DISCOVERY_INTERVAL);
    } catch (org.apache.kafka.common.errors.TimeoutException notYet) {
      return;
    }
    final Set<TopicPartition> all = new HashSet<>(assigned);
    all.addAll(found);
    consumer.assign(all);
    for (TopicPartition tp : found) consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - readBack));
  }

  /** Stops reading (wakes a poll in progress) and waits briefly for the consumer to close. */
  @Override
  public void close() {
    closed = true;
    // No interrupt: Kafka's client turns it into an error. The feed sleeps at most one poll interval.
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
