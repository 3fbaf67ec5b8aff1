package io.streamlstm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamlstm.app.Service;
import io.streamlstm.app.metrics.Metrics;
import io.streamlstm.app.metrics.MetricsConfig;
import io.streamlstm.app.soak.ServiceProcess;
import io.streamlstm.detect.simulation.SimulatedReading;
import io.streamlstm.streams.ScoringObserver;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream thread of the service dies of an exception nothing handles, thrown after the reading's new state went
 * into the store: a new thread takes over, the service stays RUNNING, and with exactly-once the dead thread's
 * uncommitted work is gone, so every reading still has exactly one score, equal to the offline detector's. The
 * readings keep coming while the dead thread's tasks move, so the service's other thread is in the middle of a
 * transaction then: with two threads, a task store left uncommitted and taken over by a busy thread made Kafka
 * Streams abort that thread's work without rewinding it (BENCHMARKS.md "Lost scores").
 */
@ExtendWith(KafkaExtension.class)
class StreamThreadFailureIT {

  private static final int SENSORS = 8;
  private static final int PER_SENSOR = 1_000;
  private static final int PER_BATCH = 400;

  @Test
  void aStreamThreadThatDiesIsReplacedAndNoScoreIsLostOrRepeated(TestKafka kafka, @TempDir Path stateDir)
      throws Exception {
    List<SimulatedReading> readings = ScoringRun.simulate(SENSORS, PER_SENSOR, 23);
    ScoringRun run = new ScoringRun("thread-failure");
    Map<String, String> config = run.config(kafka.bootstrapServers(), stateDir, 4);
    // The dead thread's consumer does not leave the group and its transaction stays open: the new thread gets the
    // partitions once the session times out, read_committed readers move on once the broker aborts the transaction.
    // Both take seconds here instead of the defaults' 45 s and 10 s.
    config.putAll(ServiceProcess.QUICK_FAILURE_DETECTION);
    try (Metrics metrics = new Metrics(MetricsConfig.defaults());
        Service service = ScoringRun.startService(config, metrics, failingOnce(metrics.observer(), readings.size() / 2))) {
      List<Clients.Message> records = ScoringRun.records(readings);
      for (int from = 0; from < records.size(); from += PER_BATCH) {
        List<Clients.Message> batch = records.subList(from, Math.min(records.size(), from + PER_BATCH));
        Clients.produce(kafka.bootstrapServers(), run.readings, batch);
        Thread.sleep(300); // about 8 s of readings: the failure comes halfway, the takeover seconds later
      }
      List<ConsumerRecord<String, String>> scores = Clients.readCommitted(kafka.bootstrapServers(), run.scores,
          readings.size(), Duration.ofSeconds(120), Duration.ofSeconds(3));

      assertEquals(readings.size(), scores.size(), "scores read with read_committed");
      ScoringRun.assertSameScores(ScoringRun.offlineScores(readings), ScoringRun.byReading(scores));
      String text = MetricsText.scrape(service);
      assertEquals(1.0, MetricsText.value(text, "streamlstm_stream_thread_failures_total\\{action=\"replaced\"\\}"));
      assertEquals(0.0, MetricsText.value(text, "streamlstm_stream_thread_failures_total\\{action=\"shutdown\"\\}"));
      assertEquals(KafkaStreams.State.RUNNING, service.state());
    }
  }

  /** {@code observer}, except that its {@code failAt}th score throws, as a bug in a stream thread would. */
  private static ScoringObserver failingOnce(ScoringObserver observer, int failAt) {
    AtomicInteger scored = new AtomicInteger();
    return (ScoringObserver) Proxy.newProxyInstance(ScoringObserver.class.getClassLoader(),
        new Class<?>[] {ScoringObserver.class}, (proxy, method, args) -> {
          if (method.getName().equals("scored") && scored.incrementAndGet() == failAt) {
            throw new IllegalStateException("injected: a stream thread's unhandled exception");
          }
          try {
            return method.invoke(observer, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
