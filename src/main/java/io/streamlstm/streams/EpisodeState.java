package io.streamlstm.streams;

import java.nio.ByteBuffer;

/**
 * A sensor's open episode, kept in the episode store between its readings. Its own small format, apart from
 * the detector's sensor state, so neither has to change with the other; the first byte is the format.
 *
 * @param startMillis the first flagged reading's time
 * @param endMillis the last flagged reading's time
 * @param peakLikelihood the likelihood of the most surprising flagged reading
 * @param peakSurprise its surprise: the peak is the highest surprise, which still ranks where likelihoods round to 1
 * @param flagged readings flagged since it opened
 * @param sinceEvent readings since the episode's last event
 * @param peakUnreported whether a new peak came since the last event
 * @param normalInARow unflagged readings since the last flagged one
 */
public record EpisodeState(long startMillis, long endMillis, double peakLikelihood, double peakSurprise, int flagged,
    int sinceEvent, boolean peakUnreported, int normalInARow) {

  static final byte FORMAT = 1;
  private static final int SIZE = 1 + 4 * Long.BYTES + 3 * Integer.BYTES + 1;

  byte[] encode() {
    return ByteBuffer.allocate(SIZE).put(FORMAT).putLong(startMillis).putLong(endMillis).putDouble(peakLikelihood)
        .putDouble(peakSurprise).putInt(flagged).putInt(sinceEvent).put((byte) (peakUnreported ? 1 : 0))
        .putInt(normalInARow).array();
  }

  static EpisodeState decode(byte[] bytes) {
    if (bytes.length != SIZE || bytes[0] != FORMAT) {
      throw new IllegalArgumentException("not an episode of format " + FORMAT + " (" + bytes.length + " bytes)");
    }
    final ByteBuffer in = ByteBuffer.wrap(bytes, 1, SIZE - 1);
    return new EpisodeState(in.getLong(), in.getLong(), in.getDouble(), in.getDouble(), in.getInt(), in.getInt(),
        in.get() != 0, in.getInt());
  }
}
