package io.streamlstm.detect.alerts;

import io.streamlstm.detect.Explanation;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * What one sensor learned from feedback, and its recent flagged readings, which a label given later learns from.
 *
 * <ul>
 *   <li>The last {@link #RECENT} flagged readings: time, reason, direction and size ({@link Departure#size()}).
 *   <li>For each kind of departure ({@link Reference}: from the forecast, the history or the routine) and direction,
 *       the largest one a {@link Label#NORMAL} label called ordinary. A flagged reading of that kind and direction
 *       and a size no larger than it times (1 + margin) is known-benign; a larger one, or one of another kind or
 *       direction, still alarms.
 * </ul>
 *
 * <p>Kept in a store and format of its own, apart from the detector's sensor state; the first byte is the format.
 * Reasons and kinds are stored by fixed codes, so a reordering of the detector's reasons cannot change what a stored
 * one means. Not thread-safe.
 */
public final class FeedbackMemory {

  /** Flagged readings remembered for labels to come: an episode seldom has more (the detector damps repeats). */
  public static final int RECENT = 16;
  static final byte FORMAT = 1;
  /** The stored codes of the reasons, by position: only ever appended to. */
  private static final Explanation.Reason[] CODES = {Explanation.Reason.SUDDEN_ERROR, Explanation.Reason.ERROR_RUN,
      Explanation.Reason.LEVEL, Explanation.Reason.ROUTINE, Explanation.Reason.LASTING_DEPARTURE,
      Explanation.Reason.NONE, Explanation.Reason.STUCK, Explanation.Reason.MEMORY};
  /** The stored codes of the kinds, by position: only ever appended to. */
  private static final Reference[] KINDS =
      {Reference.FORECAST, Reference.HISTORY, Reference.ROUTINE, Reference.NONE, Reference.REPEATS};
  private static final int DIRECTIONS = Direction.values().length;

  /** The recent flagged readings, oldest first; {@link #reading} codes their reason and direction. */
  private final long[] at = new long[RECENT];
  private final byte[] reading = new byte[RECENT];
  private final float[] sizes = new float[RECENT];
  private int count;
  /** The largest size learned as normal, by {@link #pattern} (kind and direction); 0 where nothing was learned. */
  private final float[] learned = new float[KINDS.length * DIRECTIONS];

  /** Remembers a flagged reading, forgetting the oldest when {@link #RECENT} are kept. */
  public void remember(long timestampMillis, Departure departure) {
    if (count == RECENT) {
      System.arraycopy(at, 1, at, 0, RECENT - 1);
      System.arraycopy(reading, 1, reading, 0, RECENT - 1);
      System.arraycopy(sizes, 1, sizes, 0, RECENT - 1);
      count--;
    }
    at[count] = timestampMillis;
    reading[count] = (byte) (code(CODES, departure.reason()) * DIRECTIONS + departure.direction().ordinal());
    sizes[count] = (float) departure.size();
    count++;
  }

  /**
   * A {@link Label#NORMAL} label on {@code fromMillis}..{@code toMillis}: each remembered flagged reading in the span
   * raises what is learned for its kind and direction to its size. Returns how many readings it learned from.
   */
  public int learnNormal(long fromMillis, long toMillis) {
    int taught = 0;
    for (int k = 0; k < count; k++) {
      if (at[k] < fromMillis || at[k] > toMillis) continue;
      final int pattern = patternOfReading(k);
      learned[pattern] = Math.max(learned[pattern], sizes[k]);
      taught++;
    }
    return taught;
  }

  /**
   * An {@link Label#ANOMALY} label on the span: what was learned as normal and would cover a remembered flagged
   * reading in the span is forgotten, so such departures alarm again. Returns how many patterns were forgotten.
   */
  public int forget(long fromMillis, long toMillis, double margin) {
    int forgotten = 0;
    for (int k = 0; k < count; k++) {
      if (at[k] < fromMillis || at[k] > toMillis || !covers(patternOfReading(k), sizes[k], margin)) continue;
      learned[patternOfReading(k)] = 0;
      forgotten++;
    }
    return forgotten;
  }

  /** True when feedback taught that a departure like this one is ordinary for the sensor. */
  public boolean knownBenign(Departure departure, double margin) {
    return covers(pattern(Reference.of(departure.reason()), departure.direction()), departure.size(), margin);
  }

  /** The largest departure of this kind and direction learned as normal, 0 when none was. */
  public double learnedPeak(Reference kind, Direction direction) {
    return learned[pattern(kind, direction)];
  }

  /** True when a flagged reading stamped at or after {@code timestampMillis} is remembered. */
  public boolean flaggedSince(long timestampMillis) {
    return count > 0 && at[count - 1] >= timestampMillis;
  }

  private boolean covers(int pattern, double size, double margin) {
    return learned[pattern] > 0 && size <= learned[pattern] * (1 + margin);
  }

  private static int pattern(Reference kind, Direction direction) {
    return code(KINDS, kind) * DIRECTIONS + direction.ordinal();
  }

  /** The kind and direction of the k-th remembered reading. */
  private int patternOfReading(int k) {
    return pattern(Reference.of(CODES[reading[k] / DIRECTIONS]), Direction.values()[reading[k] % DIRECTIONS]);
  }

  private static <T> int code(T[] codes, T value) {
    for (int code = 0; code < codes.length; code++) {
      if (codes[code] == value) return code;
    }
    throw new IllegalArgumentException("no stored code for " + value);
  }

  /**
   * Format 1: the format byte; the count of flagged readings, then each one's time, reason code × 2 (+ 1 for low)
   * and size as a float; the count of learned patterns, then each one's kind code × 2 (+ 1 for low) and size.
   */
  public byte[] encode() {
    int taught = 0;
    for (float peak : learned) if (peak > 0) taught++;
    final ByteBuffer out = ByteBuffer.allocate(1 + 1 + count * (Long.BYTES + 1 + Float.BYTES) + 1 + taught * (1 + Float.BYTES));
    out.put(FORMAT).put((byte) count);
    for (int k = 0; k < count; k++) out.putLong(at[k]).put(reading[k]).putFloat(sizes[k]);
    out.put((byte) taught);
    for (int p = 0; p < learned.length; p++) {
      if (learned[p] > 0) out.put((byte) p).putFloat(learned[p]);
    }
    return out.array();
  }

  public static FeedbackMemory decode(byte[] bytes) {
    if (bytes.length == 0 || bytes[0] != FORMAT) {
      throw new IllegalArgumentException("not a feedback memory of format " + FORMAT + " (" + bytes.length + " bytes)");
    }
    final FeedbackMemory memory = new FeedbackMemory();
    try {
      final ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
      memory.count = in.get();
      if (memory.count < 0 || memory.count > RECENT) throw new IllegalArgumentException("bad count " + memory.count);
      for (int k = 0; k < memory.count; k++) {
        memory.at[k] = in.getLong();
        memory.reading[k] = stored(in.get(), CODES.length);
        memory.sizes[k] = in.getFloat();
      }
      final int taught = in.get();
      for (int t = 0; t < taught; t++) memory.learned[stored(in.get(), KINDS.length)] = in.getFloat();
      if (in.hasRemaining()) throw new IllegalArgumentException(in.remaining() + " bytes left over");
      return memory;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("feedback memory truncated (" + bytes.length + " bytes)");
    }
  }

  private static byte stored(byte pattern, int codes) {
    if (pattern < 0 || pattern >= codes * DIRECTIONS) throw new IllegalArgumentException("unknown pattern " + pattern);
    return pattern;
  }
}
