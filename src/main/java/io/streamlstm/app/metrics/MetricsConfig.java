package io.streamlstm.app.metrics;

import java.time.Duration;
import java.util.Set;

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
      throw new IllegalArgumentException("top sensors must be >= 0, got " + topSensors);
    }
  }

  public static MetricsConfig defaults() {
    return new MetricsConfig(
        Set.of(), 10, Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofSeconds(10));
  }
}
