package io.streamlstm.detect.alerts;

/**
 * A label on the span from {@code fromMillis} to {@code toMillis} (inclusive) of one sensor's readings, taking
 * effect at the sensor's first reading stamped at or after {@code effectiveMillis}. That point is fixed by the label
 * itself, never by when it happened to arrive, so a replay applies it at the same reading as the live stream did.
 */
public record Feedback(Label label, long fromMillis, long toMillis, long effectiveMillis) {

  public Feedback {
    if (label == null) throw new IllegalArgumentException("a label is required");
    if (fromMillis > toMillis) throw new IllegalArgumentException("the span ends before it starts");
  }
}
