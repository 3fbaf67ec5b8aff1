package io.streamlstm.streams;

import java.nio.ByteBuffer;

/**
 * What the silence watch knows of a sensor, written only when its timer is set or it goes silent, never per
 * reading: the sensor's last reading time and reading count when the timer was set (so the next check finds
 * its usual interval from its sensor state), that interval, and whether it is silent now. A small format of its
 * own, the first byte its version.
 *
 * @param timerBucketMillis the bucket of its timer in the timer store, {@link #NO_TIMER} when it has none
 */
record SilenceState(long setAtReadingMillis, long setAtReadings, long usualIntervalMillis, boolean silent,
    long timerBucketMillis) {

  static final long NO_TIMER = Long.MIN_VALUE;
  static final byte FORMAT = 1;
  private static final int SIZE = 1 + 4 * Long.BYTES + 1;

  byte[] encode() {
    return ByteBuffer.allocate(SIZE).put(FORMAT).putLong(setAtReadingMillis).putLong(setAtReadings)
        .putLong(usualIntervalMillis).put((byte) (silent ? 1 : 0)).putLong(timerBucketMillis).array();
  }

  static SilenceState decode(byte[] bytes) {
    if (bytes.length != SIZE || bytes[0] != FORMAT) {
      throw new IllegalArgumentException("not a silence state of format " + FORMAT + " (" + bytes.length + " bytes)");
    }
    final ByteBuffer in = ByteBuffer.wrap(bytes, 1, SIZE - 1);
    return new SilenceState(in.getLong(), in.getLong(), in.getLong(), in.get() != 0, in.getLong());
  }
}
