package io.streamlstm.detect;

/** Why a reading was refused. A refused reading leaves the sensor's state untouched. */
public record Rejection(Reason reason, String detail) {

  public enum Reason {
    /** NaN or ±Infinity among the values. */
    NOT_FINITE,
    /** Channels differ from the ones this sensor started with, or none given. */
    WRONG_CHANNELS,
    /** Timestamp earlier than the sensor's last accepted reading. */
    TIME_BACKWARDS,
    /** The value could not be parsed at all (used by the stream's parser). */
    MALFORMED
  }
}
