package io.streamlstm.it;

import io.streamlstm.app.soak.JavaProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.app.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The broker the tests and the demo rely on: transactions and read_committed work, in-process and as a JVM. */
@ExtendWith(KafkaExtension.class)
class EmbeddedKafkaIT {

  @Test
  void readCommittedSeesCommittedTransactionsOnly(TestKafka kafka) {
    String topic = Clients.uniqueName("tx");
    kafka.createTopics(1, topic);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, Clients.uniqueName("it-tx")),
        new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "aborted"));
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "committed"));
      producer.commitTransaction();
    }

    List<ConsumerRecord<String, String>> read =
        Clients.readCommitted(kafka.bootstrapServers(), topic, 1, Duration.ofSeconds(30), Duration.ofSeconds(1));

    assertEquals(List.of("committed"), read.stream().map(ConsumerRecord::value).toList());
  }

  /**
   * Scores carry their reading's event time. A replay or a simulation months in the past must not have
   * its output deleted by time-based retention, whose first check runs 30 s after the broker starts
   * (then every 5 minutes): FailoverIT once lost the scores in flight at such a check.
   */
  @Test
  void keepsRecordsWithOldEventTimesPastARetentionCheck() throws Exception {
    try (EmbeddedKafka broker = EmbeddedKafka.start(0)) {
      String topic = Clients.uniqueName("old");
      EmbeddedKafka.createTopics(broker.bootstrapServers(), 1, topic);
      long yearAgo = System.currentTimeMillis() - Duration.ofDays(365).toMillis();
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
          new StringSerializer(), new StringSerializer())) {
        for (int n = 0; n < 10; n++) {
          producer.send(new ProducerRecord<>(topic, null, yearAgo + n, "k", "old-" + n));
          producer.flush(); // one batch each, so the log holds closed segments too, if it rolls
        }
      }
      Thread.sleep(Duration.ofSeconds(40).toMillis());

      List<ConsumerRecord<String, String>> read =
          Clients.readCommitted(broker.bootstrapServers(), topic, 10, Duration.ofSeconds(10), Duration.ZERO);

      assertEquals(10, read.size(), "records with year-old timestamps after the first retention check");
    }
  }

  @Test
  void runsAsItsOwnProcessAndStopsOnSigterm() throws Exception {
    JavaProcess broker = JavaProcess.start(EmbeddedKafka.class, List.of("-Xmx512m"));
    try {
      String ready = broker.awaitLine(line -> line.startsWith("READY "), Duration.ofSeconds(60));
      String bootstrap = ready.substring("READY ".length());
      String topic = Clients.uniqueName("jvm");
      EmbeddedKafka.createTopics(bootstrap, 1, topic);
      Clients.produce(bootstrap, topic, List.of(new Clients.Message("k", "hello".getBytes(StandardCharsets.UTF_8))));

      List<ConsumerRecord<String, String>> read =
          Clients.readCommitted(bootstrap, topic, 1, Duration.ofSeconds(30), Duration.ZERO);

      assertEquals("hello", read.get(0).value());
    } finally {
      broker.close();
    }
    assertFalse(broker.lines().isEmpty());
    assertTrue(broker.lines().stream().anyMatch(l -> l.startsWith("READY ")));
  }
}
