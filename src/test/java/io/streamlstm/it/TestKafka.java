package io.streamlstm.it;

import io.streamlstm.app.EmbeddedKafka;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The real broker an integration test talks to: Testcontainers' Kafka where Docker runs, else Kafka's own
 * broker in this JVM ({@link EmbeddedKafka}). Tests see only {@link #bootstrapServers()}, so the same test
 * classes run on either. Chosen by {@code -Dstreamlstm.kafka=testcontainers|embedded}; without it,
 * Testcontainers when Docker is available.
 */
public interface TestKafka extends AutoCloseable {

  String PROPERTY = "streamlstm.kafka";
  String IMAGE_PROPERTY = "streamlstm.kafka.image";
  /** The broker version the app is built against. */
  String DEFAULT_IMAGE = "apache/kafka:4.4.0";

  String bootstrapServers();

  /** Which broker this is, for test logs: {@code embedded} or {@code testcontainers}. */
  String kind();

  default void createTopics(int partitions, String... topics) {
    EmbeddedKafka.createTopics(bootstrapServers(), partitions, topics);
  }

  @Override
  void close();

  static TestKafka start() {
    return useTestcontainers(System.getProperty(PROPERTY, ""), DockerCheck::dockerAvailable)
        ? containerised(System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE))
        : embedded();
  }

  /** The choice on its own, so it can be tested without Docker. */
  static boolean useTestcontainers(String setting, java.util.function.BooleanSupplier dockerAvailable) {
    return switch (setting) {
      case "testcontainers" -> true;
      case "embedded" -> false;
      case "" -> dockerAvailable.getAsBoolean();
      default -> throw new IllegalArgumentException(
          "-D" + PROPERTY + " must be 'testcontainers' or 'embedded', got '" + setting + "'");
    };
  }

  static TestKafka embedded() {
    EmbeddedKafka kafka = EmbeddedKafka.start();
    return new TestKafka() {
      @Override public String bootstrapServers() { return kafka.bootstrapServers(); }
      @Override public String kind() { return "embedded"; }
      @Override public void close() { kafka.close(); }
    };
  }

  static TestKafka containerised(String image) {
    // The settings that change what clients see, as EmbeddedKafka sets them: a test behaves alike on
    // either broker. The image reads broker settings from KAFKA_<NAME> variables.
    KafkaContainer container = new KafkaContainer(image);
    EmbeddedKafka.CLIENT_VISIBLE_SETTINGS.forEach((name, value) ->
        container.withEnv("KAFKA_" + name.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), value));
    container.start();
    return new TestKafka() {
      @Override public String bootstrapServers() { return container.getBootstrapServers(); }
      @Override public String kind() { return "testcontainers"; }
      @Override public void close() { container.stop(); }
    };
  }

  /** Kept apart so Testcontainers' Docker probe runs only when the choice depends on it. */
  final class DockerCheck {
    private DockerCheck() {}

    static boolean dockerAvailable() {
      return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    }
  }
}
