package io.streamlstm.it;

import io.streamlstm.app.EmbeddedKafka;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests a {@link TestKafka} parameter: {@code @ExtendWith(KafkaExtension.class)}, then
 * {@code @BeforeAll static void setUp(TestKafka kafka)} or a test method parameter. One broker serves every
 * test class of the run (a broker start costs seconds); it stops when the run ends. Tests keep apart by
 * using their own topic names and application ids.
 */
public final class KafkaExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaExtension.class);

  /** Closed by JUnit when the root context closes, i.e. after the last test class. */
  private record Shared(TestKafka kafka) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() {
      kafka.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestKafka.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(Shared.class, key -> {
          EmbeddedKafka.quietLogs();
          TestKafka kafka = TestKafka.start();
          System.out.println("[it] Kafka for this run: " + kafka.kind() + " at " + kafka.bootstrapServers());
          return new Shared(kafka);
        }, Shared.class)
        .kafka();
  }
}
