package io.streamlstm.streams;

/**
 * A reading stamped far ahead of its Kafka record's time, which a sensor with a wrong clock sends: scored, it
 * would push the sensor's last time (and the task's stream time) into the future, and every later correct
 * reading would be refused as earlier. The timestamp extractor keeps the record's time for it, and the scorer
 * refuses it as {@link DeadLetters#FUTURE_TIMESTAMP}.
 */
public final class FutureTimestamps {

  private FutureTimestamps() {}

  /**
   * Whether {@code readingMillis} is more than {@code toleranceMillis} after {@code recordMillis}; never for a
   * record without a time (negative).
   */
  public static boolean tooFarAhead(long readingMillis, long recordMillis, long toleranceMillis) {
    // reading > record >= 0, so the difference cannot overflow.
    return recordMillis >= 0 && readingMillis > recordMillis && readingMillis - recordMillis > toleranceMillis;
  }
}
