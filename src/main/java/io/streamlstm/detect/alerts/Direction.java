package io.streamlstm.detect.alerts;

import java.util.Locale;

/** Which way a reading departs from the reference it was judged against. */
public enum Direction {
  /** At or above the reference's expected value. */
  HIGH,
  /** Below it. */
  LOW;

  /** As written in rules files and score marks. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
