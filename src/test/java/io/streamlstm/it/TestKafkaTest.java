package io.streamlstm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TestKafkaTest {

  @Test
  void anExplicitChoiceWinsAndDoesNotAskDocker() {
    AtomicInteger asked = new AtomicInteger();
    assertTrue(TestKafka.useTestcontainers("testcontainers", () -> asked.incrementAndGet() < 0));
    assertFalse(TestKafka.useTestcontainers("embedded", () -> asked.incrementAndGet() > 0));
    assertEquals(0, asked.get());
  }

  @Test
  void withoutAChoiceDockerDecides() {
    assertTrue(TestKafka.useTestcontainers("", () -> true));
    assertFalse(TestKafka.useTestcontainers("", () -> false));
  }

  @Test
  void anUnknownChoiceIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> TestKafka.useTestcontainers("docker", () -> true));
  }
}
