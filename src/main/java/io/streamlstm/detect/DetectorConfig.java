package io.streamlstm.detect;

/**
 * The detector's settings. CONTRACT ONLY: fields are decided on branch detect; the stream builds one
 * with {@link #defaults()} and overrides from properties named {@code detector.<field>}.
 */
public record DetectorConfig(int warmUpReadings, double anomalyThreshold, double bandSigmas) {

  public static DetectorConfig defaults() {
    return new DetectorConfig(50, 0.99, 3.0);
  }
}
