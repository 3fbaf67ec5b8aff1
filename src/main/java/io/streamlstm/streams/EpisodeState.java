package io.streamlstm.streams;

import io.streamlstm.detect.Explanation;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A sensor's open episode, kept in the episode store between its readings. Its own small format, apart from
 * the detector's sensor state, so neither has to change with the other; the first byte is the format. The
 * reason is stored by name, so a reordering of the detector's reasons cannot change what a stored one means.
 *
 * @param startMillis the first flagged reading's time
 * @param endMillis the last flagged reading's time
 * @param peakLikelihood the likelihood of the most surprising flagged reading
 * @param peakSurprise its surprise: the peak is the highest surprise, which still ranks where likelihoods round to 1
 * @param peakExplanation what decided the peak: its reason, deviation and the reference band it was judged against
 * @param flagged readings flagged since it opened
 * @param sinceEvent readings since the episode's last event
 * @param peakUnreported whether a new peak came since the last event
 * @param normalInARow unflagged readings since the last flagged one
 */
public record EpisodeState(long startMillis, long endMillis, double peakLikelihood, double peakSurprise,
    Explanation peakExplanation, int flagged, int sinceEvent, boolean peakUnreported, int normalInARow) {

  static final byte FORMAT = 1;

  byte[] encode() {
    final byte[] reason = peakExplanation.reason().name().getBytes(StandardCharsets.UTF_8);
    final byte[] channel = peakExplanation.channel().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + 8 * Long.BYTES + 5 * Integer.BYTES + 1 + reason.length + channel.length)
        .put(FORMAT).putLong(startMillis).putLong(endMillis).putDouble(peakLikelihood).putDouble(peakSurprise)
        .putInt(reason.length).put(reason).putInt(channel.length).put(channel)
        .putDouble(peakExplanation.deviation()).putDouble(peakExplanation.expected())
        .putDouble(peakExplanation.lower()).putDouble(peakExplanation.upper())
        .putInt(flagged).putInt(sinceEvent).put((byte) (peakUnreported ? 1 : 0)).putInt(normalInARow).array();
  }

  static EpisodeState decode(byte[] bytes) {
    if (bytes.length == 0 || bytes[0] != FORMAT) {
      throw new IllegalArgumentException("not an episode of format " + FORMAT + " (" + bytes.length + " bytes)");
    }
    try {
      final ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
      final long start = in.getLong();
      final long end = in.getLong();
      final double likelihood = in.getDouble();
      final double surprise = in.getDouble();
      final Explanation.Reason reason = Explanation.Reason.valueOf(text(in));
      final Explanation explanation =
          new Explanation(reason, text(in), in.getDouble(), in.getDouble(), in.getDouble(), in.getDouble());
      final EpisodeState state = new EpisodeState(start, end, likelihood, surprise, explanation, in.getInt(),
          in.getInt(), in.get() != 0, in.getInt());
      if (in.hasRemaining()) throw new IllegalArgumentException(in.remaining() + " bytes left over");
      return state;
    } catch (BufferUnderflowException | NegativeArraySizeException e) {
      throw new IllegalArgumentException("episode truncated (" + bytes.length + " bytes)");
    }
  }

  private static String text(ByteBuffer in) {
    final byte[] text = new byte[in.getInt()];
    in.get(text);
    return new String(text, StandardCharsets.UTF_8);
  }
}
