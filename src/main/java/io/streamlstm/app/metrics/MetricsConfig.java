package io.streamlstm.app.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which sensors get per-sensor series, and how often Kafka Streams' own metrics are re-read.
 *
 * @param sensorAllowList sensors always shown on the sensor dashboard
 * @param topSensors how many of the most anomalous other sensors are shown too (0: none)
 * @param topSensorHalfLife how fast a sensor's peak likelihood fades from the top-K ranking
 * @param topSensorMinDwell how long a top-K sensor keeps its series at least (bounds churn)
 * @param kafkaStreamsRefresh how often new Kafka Streams metrics (tasks, RocksDB) are picked up
 */
public record MetricsConfig(
    Set<String> sensorAllowList,
    int topSensors,
    Duration topSensorHalfLife,
    Duration topSensorMinDwell,
    Duration kafkaStreamsRefresh) {

  public MetricsConfig {
    sensorAllowList = Set.copyOf(sensorAllowList);
    if (topSensors < 0) {
      throw new IllegalArgumentException("metrics.sensors.top must be >= 0, got " + topSensors);
    }
  }

  public static MetricsConfig defaults() {
    return new MetricsConfig(
        Set.of(), 10, Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofSeconds(10));
  }

  /**
   * Reads {@code metrics.sensors.allow} (comma-separated ids), {@code metrics.sensors.top},
   * {@code metrics.sensors.top.half.life.ms}, {@code metrics.sensors.top.min.dwell.ms} and
   * {@code metrics.kafka.refresh.ms}; anything absent keeps its default.
   */
  public static MetricsConfig fromProperties(Properties properties) {
    MetricsConfig d = defaults();
    String allow = properties.getProperty("metrics.sensors.allow", "");
    return new MetricsConfig(
        Arrays.stream(allow.split(",")).map(String::trim).filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet()),
        Integer.parseInt(properties.getProperty("metrics.sensors.top", "" + d.topSensors())),
        millis(properties, "metrics.sensors.top.half.life.ms", d.topSensorHalfLife()),
        millis(properties, "metrics.sensors.top.min.dwell.ms", d.topSensorMinDwell()),
        millis(properties, "metrics.kafka.refresh.ms", d.kafkaStreamsRefresh()));
  }

  private static Duration millis(Properties properties, String key, Duration fallback) {
    String value = properties.getProperty(key);
    return value == null ? fallback : Duration.ofMillis(Long.parseLong(value.trim()));
  }
}
