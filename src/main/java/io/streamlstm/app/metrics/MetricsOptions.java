package io.streamlstm.app.metrics;

import java.util.LinkedHashSet;
import java.util.Set;
import picocli.CommandLine.Option;

/** The command-line options of metrics, for any command that serves {@code /metrics} (a picocli mixin). */
public final class MetricsOptions {

  @Option(names = "--metrics-sensors", split = ",", paramLabel = "ID",
      description = "Sensors that always get per-sensor series (value, expected band, likelihood).")
  Set<String> sensors = new LinkedHashSet<>();

  @Option(names = "--metrics-top-sensors", defaultValue = "10", paramLabel = "K",
      description = "Also give per-sensor series to the K most anomalous other sensors (default: ${DEFAULT-VALUE}).")
  int topSensors;

  public MetricsConfig config() {
    MetricsConfig d = MetricsConfig.defaults();
    return new MetricsConfig(sensors, topSensors, d.topSensorHalfLife(), d.topSensorMinDwell(),
        d.kafkaStreamsRefresh());
  }
}
