package io.streamlstm.detect;

/**
 * One reading of one sensor: its event time and one value per named channel. A single-channel
 * reading (the common case) has the one channel {@link #VALUE}.
 */
public record Reading(long timestampMillis, String[] channels, double[] values) {

  public static final String VALUE = "value";
  private static final String[] SINGLE = {VALUE};

  public static Reading single(long timestampMillis, double value) {
    return new Reading(timestampMillis, SINGLE, new double[] {value});
  }
}
