package io.streamlstm.detect.alerts;

import java.util.Locale;

/** What a user says of a span of a sensor's readings. */
public enum Label {
  /** Ordinary for this sensor: the same departure should not alarm again. */
  NORMAL,
  /** An incident, whether or not it alarmed. */
  ANOMALY;

  /** As written in feedback records. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
