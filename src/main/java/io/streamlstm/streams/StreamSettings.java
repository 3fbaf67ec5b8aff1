package io.streamlstm.streams;

import io.streamlstm.detect.DetectorConfig;

/**
 * What the topology needs to know, apart from Kafka's own client settings: where readings come from,
 * where scores, anomalies and dead letters go, which model record to follow, and the detector's settings.
 */
public record StreamSettings(
    String inputTopic,
    String scoresTopic,
    String anomaliesTopic,
    String deadLetterTopic,
    String modelTopic,
    String modelName,
    DetectorConfig detector) {

  public static final String DEFAULT_MODEL_NAME = "default";

  public static StreamSettings defaults() {
    return new StreamSettings("sensor-readings", "anomaly-scores", "anomalies", "sensor-readings-dlq",
        "streamlstm-models", DEFAULT_MODEL_NAME, DetectorConfig.defaults());
  }

  public StreamSettings {
    requireName("input topic", inputTopic);
    requireName("scores topic", scoresTopic);
    requireName("anomalies topic", anomaliesTopic);
    requireName("dead-letter topic", deadLetterTopic);
    requireName("model topic", modelTopic);
    requireName("model name", modelName);
    if (detector == null) throw new IllegalArgumentException("detector settings are required");
  }

  private static void requireName(String what, String name) {
    if (name == null || name.isBlank()) throw new IllegalArgumentException(what + " must not be empty");
  }
}
