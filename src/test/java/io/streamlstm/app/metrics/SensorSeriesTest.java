package io.streamlstm.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Per-sensor series stay bounded however many sensors report, and go to the most anomalous ones. */
class SensorSeriesTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private SensorSeries series(Set<String> allow, int topK, Duration minDwell) {
    return new SensorSeries(registry, allow, topK, Duration.ofMinutes(1), minDwell, now::get);
  }

  private Set<String> exportedSensors() {
    return Scrape.parse(registry.scrape()).labelValues("streamlstm_sensor_likelihood", "sensor");
  }

  @Test
  void cardinalityStaysBoundedByAllowListPlusTopK() {
    SensorSeries series = series(Set.of("a-1", "a-2"), 5, Duration.ofSeconds(30));
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 200_000; i++) {
      now.addAndGet(random.nextInt(3));
      String sensor = "s-" + random.nextInt(5_000);
      series.record(sensor, random.nextDouble(), random.nextDouble() < 0.01, null);
      if (i % 50_000 == 0) {
        series.record("a-1", 0.1, false, null);
        series.record("a-2", 0.1, false, null);
      }
      if (i % 10_000 == 0) {
        assertTrue(series.size() <= 7, "tracked " + series.size());
      }
    }
    Set<String> exported = exportedSensors();
    assertEquals(7, exported.size(), exported.toString());
    assertTrue(exported.containsAll(Set.of("a-1", "a-2")));
    assertEquals(7.0, Scrape.parse(registry.scrape()).value("streamlstm_sensors_tracked"));
    // The counters of evicted sensors are gone too, not only their gauges.
    assertTrue(Scrape.parse(registry.scrape()).labelValues("streamlstm_sensor_anomalies_total", "sensor").size() <= 7);
  }

  @Test
  void aSensorThatCalmsDownGivesItsSlotToAMoreAnomalousOne() {
    SensorSeries series = series(Set.of(), 2, Duration.ofSeconds(10));
    series.record("hot", 0.9999, true, null);
    series.record("warm", 0.95, false, null);
    series.record("new", 0.97, false, null);
    // Both slots are within their dwell time: nobody is displaced yet.
    assertEquals(Set.of("hot", "warm"), exportedSensors());

    now.addAndGet(Duration.ofSeconds(11).toMillis());
    series.record("new", 0.97, false, null);
    assertEquals(Set.of("hot", "new"), exportedSensors(), "the weakest slot goes to the stronger newcomer");

    series.record("mild", 0.6, false, null);
    assertFalse(exportedSensors().contains("mild"), "a weaker sensor does not displace stronger ones");

    // Ten minutes (ten half-lives) later "hot" has faded well below a fresh 0.5.
    now.addAndGet(Duration.ofMinutes(10).toMillis());
    series.record("new", 0.9, false, null);
    series.record("later", 0.5, false, null);
    assertEquals(Set.of("new", "later"), exportedSensors());
  }

  @Test
  void staysBoundedWhenStreamThreadsRecordConcurrently() throws Exception {
    SensorSeries series = series(Set.of("a-1"), 4, Duration.ZERO);
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      final long seed = t;
      threads[t] = new Thread(() -> {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 50_000; i++) {
          now.incrementAndGet();
          series.record("s-" + random.nextInt(2_000), random.nextDouble(), false, null);
          series.record("a-1", 0.5, false, null);
        }
      });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertTrue(series.size() <= 5, "tracked " + series.size());
    Set<String> exported = exportedSensors();
    assertEquals(series.size(), exported.size(), "every tracked sensor exported, no leftovers of evicted ones");
    assertTrue(exported.contains("a-1"));
  }

  @Test
  void noTopSensorsMeansOnlyTheAllowList() {
    SensorSeries series = series(Set.of("only"), 0, Duration.ZERO);
    for (int i = 0; i < 100; i++) {
      series.record("s-" + i, 0.999, true, null);
    }
    series.record("only", 0.2, false, null);
    assertEquals(Set.of("only"), exportedSensors());
  }
}
