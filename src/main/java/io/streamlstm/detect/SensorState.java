package io.streamlstm.detect;

/**
 * Everything the detector remembers of one sensor between readings. CONTRACT ONLY: implemented on
 * branch detect.
 */
public final class SensorState {

  /** Compact versioned binary form; {@link #decode} of it gives back an equal state. */
  public byte[] encode() {
    throw new UnsupportedOperationException("implemented on branch detect");
  }

  /** @throws IllegalArgumentException with a clear message when the bytes are not a valid state */
  public static SensorState decode(byte[] bytes) {
    throw new UnsupportedOperationException("implemented on branch detect");
  }
}
