package io.streamlstm.streams;

import io.streamlstm.detect.DetectorConfig;
import java.time.Duration;

/**
 * What the topology needs to know, apart from Kafka's own client settings: where readings come from,
 * where scores, anomalies and dead letters go, which model records to follow (the default model's name, and the
 * routes that send some sensors to other named models), the detector's settings, how far
 * ahead of its Kafka record a reading's time may be ({@link FutureTimestamps}), when a departed sensor's
 * state is removed, when an episode reports and closes, when a quiet sensor is called silent, and where labels
 * come from and how they apply.
 */
public record StreamSettings(
    String inputTopic,
    String scoresTopic,
    String anomaliesTopic,
    String deadLetterTopic,
    String modelTopic,
    String modelName,
    DetectorConfig detector,
    Duration futureTolerance,
    StateExpiry stateExpiry,
    EpisodeSettings episodes,
    SilenceSettings silence,
    ModelRoutes modelRoutes,
    FeedbackSettings feedback) {

  public static final String DEFAULT_MODEL_NAME = "default";
  /** How far a reading's time may be ahead of its Kafka record's before it is refused: a day of clock error. */
  public static final Duration DEFAULT_FUTURE_TOLERANCE = Duration.ofDays(1);

  public static StreamSettings defaults() {
    return new StreamSettings("sensor-readings", "anomaly-scores", "anomalies", "sensor-readings-dlq",
        "streamlstm-models", DEFAULT_MODEL_NAME, DetectorConfig.defaults(), DEFAULT_FUTURE_TOLERANCE,
        StateExpiry.DEFAULT, EpisodeSettings.DEFAULT, SilenceSettings.DEFAULT, ModelRoutes.NONE,
        FeedbackSettings.DEFAULT);
  }

  public StreamSettings {
    requireName("input topic", inputTopic);
    requireName("scores topic", scoresTopic);
    requireName("anomalies topic", anomaliesTopic);
    requireName("dead-letter topic", deadLetterTopic);
    requireName("model topic", modelTopic);
    requireName("model name", modelName);
    if (detector == null) throw new IllegalArgumentException("detector settings are required");
    if (futureTolerance == null || futureTolerance.isNegative()) {
      throw new IllegalArgumentException("future tolerance must be >= 0, got " + futureTolerance);
    }
    if (stateExpiry == null) throw new IllegalArgumentException("state expiry settings are required");
    if (episodes == null) throw new IllegalArgumentException("episode settings are required");
    if (silence == null) throw new IllegalArgumentException("silence settings are required");
    if (modelRoutes == null) throw new IllegalArgumentException("model routes are required (ModelRoutes.NONE for none)");
    if (feedback == null) throw new IllegalArgumentException("feedback settings are required");
  }

  /** The same settings with labels taken and applied as {@code feedback} says. */
  public StreamSettings withFeedback(FeedbackSettings feedback) {
    return new StreamSettings(inputTopic, scoresTopic, anomaliesTopic, deadLetterTopic, modelTopic, modelName, detector,
        futureTolerance, stateExpiry, episodes, silence, modelRoutes, feedback);
  }

  private static void requireName(String what, String name) {
    if (name == null || name.isBlank()) throw new IllegalArgumentException(what + " must not be empty");
  }
}
