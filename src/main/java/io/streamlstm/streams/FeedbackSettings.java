package io.streamlstm.streams;

import java.time.Duration;

/**
 * Where feedback comes from and how it is applied.
 *
 * @param topic the feedback topic, keyed by sensor id and partitioned as the readings are
 * @param delay a label takes effect at its sensor's first reading stamped at least this long after it was given (its
 *     record's time), and not before the end of its span: time for it to reach the scoring task before any reading
 *     it applies to, so the live stream applies it where a replay does
 * @param margin a flagged reading is known-benign when its deviation is at most the learned one times (1 + margin)
 */
public record FeedbackSettings(String topic, Duration delay, double margin) {

  public static final FeedbackSettings DEFAULT = new FeedbackSettings("sensor-feedback", Duration.ofMinutes(1), 0.25);

  public FeedbackSettings {
    if (topic == null || topic.isBlank()) throw new IllegalArgumentException("feedback topic must not be empty");
    if (delay == null || delay.isNegative()) throw new IllegalArgumentException("feedback delay must be >= 0, got " + delay);
    if (!(margin >= 0) || Double.isInfinite(margin)) {
      throw new IllegalArgumentException("feedback margin must be a number >= 0, got " + margin);
    }
  }

  public FeedbackSettings withTopic(String topic) {
    return new FeedbackSettings(topic, delay, margin);
  }
}
