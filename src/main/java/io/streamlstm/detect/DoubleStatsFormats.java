package io.streamlstm.detect;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Formats 1 and 2, big-endian with the likelihood statistics as doubles: magic, format, model version (u16
 * length + UTF-8), k (u8), k channel names (u16 length + UTF-8), readings (i64), last timestamp (i64), lanes
 * (u8), state size (i32), lanes·size f32 h/C, μ and σ (k f32 each), normaliser (2k f64), the statistics,
 * recent capacity (u8), count (u8), count·k f64 recent readings. The statistics, per channel:
 * <ul>
 *   <li>format 1 as first written: 5 doubles, the short average of e² and a Gaussian history of its cube
 *       root, which nothing now uses;</li>
 *   <li>format 1 as written once the histograms came, and format 2 without its zeros (a bitmap of ⌈n/8⌉
 *       bytes, bit j of byte j/8 low first, marks the non-zero ones): 175 doubles, the
 *       short averages of e² and of the level, the recent peak, four histograms of 1 + 24 doubles (a forgetful
 *       total, then the bins) and per hour slot the readings seen, mean and variance.</li>
 * </ul>
 * Read by {@link SensorStateMigration}.
 */
final class DoubleStatsFormats {

  private static final int GAUSSIAN_STATS = 5;
  private static final int HISTOGRAMS_AT = 3;
  private static final int OLD_HISTOGRAM_SIZE = 1 + SensorStateMigration.BINS_BEFORE_FORMAT_8;
  private static final int OLD_EVIDENCES = 4;
  private static final int DAILY_AT = HISTOGRAMS_AT + OLD_EVIDENCES * OLD_HISTOGRAM_SIZE;
  private static final int HISTOGRAM_STATS = DAILY_AT + 3 * SensorStateMigration.SLOTS;
  /**
   * Units of a 16-bit count one surprise stood for in a double histogram, at the shipped history half-life:
   * the old histograms forgot with it. The tail is a ratio of counts, so another configured half-life only
   * rescales them.
   */
  private static final double UNITS_PER_SURPRISE =
      1 / new EmpiricalTail(DetectorConfig.defaults().historyHalfLife()).surprisesPerUnit(0);

  private DoubleStatsFormats() {}

  /**
   * Reads {@code bytes} of format 1 or 2. Format 1's statistics are the Gaussian ones or the histograms,
   * whichever fits the bytes exactly.
   */
  static void read(byte[] bytes, int format, SensorState s) {
    ByteBuffer in = ByteBuffer.wrap(bytes, 2, bytes.length - 2).order(ByteOrder.BIG_ENDIAN);
    try {
      s.setModelVersion(string(in, Detector.MAX_NAME_BYTES, "model version"));
      int k = Byte.toUnsignedInt(in.get());
      s.resizeChannels(k);
      for (int c = 0; c < k; c++) {
        s.setChannel(c, string(in, Detector.MAX_NAME_BYTES, "channel name"));
      }
      s.readings = in.getLong();
      if (s.readings < 0) throw SensorState.invalid("negative reading count " + s.readings);
      s.lastTimestampMillis = in.getLong();
      s.backwardsRun = 0;
      s.lastBackwardsMillis = Long.MIN_VALUE;
      int lanes = Byte.toUnsignedInt(in.get());
      int stateSize = in.getInt();
      if (stateSize < 0) throw SensorState.invalid("negative state size " + stateSize);
      if ((long) lanes * stateSize > in.remaining() / 4) {
        throw SensorState.invalid(
            lanes + " recurrent states of " + stateSize + " floats exceed the " + in.limit() + " bytes");
      }
      if ((k == 0) != (lanes == 0)) throw SensorState.invalid(lanes + " recurrent states for " + k + " channels");
      s.recurrent = new float[lanes][];
      for (int lane = 0; lane < lanes; lane++) s.recurrent[lane] = floats(in, stateSize, "h/C");
      s.predictedMean = floats(in, k, "predicted mean");
      s.predictedSigma = floats(in, k, "predicted sigma");
      s.normaliser = doubles(in, 2 * k, "normaliser");
      int perChannel = format == 2 ? HISTOGRAM_STATS : format1Stats(in, k);
      double[] old = format == 2 ? sparse(in, perChannel * k) : doubles(in, perChannel * k, "likelihood");
      int capacity = Byte.toUnsignedInt(in.get());
      int count = Byte.toUnsignedInt(in.get());
      if (count > capacity) throw SensorState.invalid(count + " recent readings in a ring of " + capacity);
      double[] recent = doubles(in, count * k, "recent readings");
      if (in.hasRemaining()) throw SensorState.invalid(in.remaining() + " trailing bytes");
      s.recent = new float[capacity * k];
      for (int j = 0; j < recent.length; j++) s.recent[j] = SensorState.narrow(recent[j]);
      s.recentCount = count;
      s.origin = new double[k];
      float[] format6 = new float[SensorStateMigration.FORMAT_6_STATS * k];
      byte[] slotCounts = new byte[SensorStateMigration.SLOTS * k];
      s.histograms = new char[AnomalyLikelihood.HISTOGRAMS * k];
      for (int c = 0; c < k; c++) {
        s.origin[c] = s.normaliser[2 * c];
        SensorStateMigration.seedHistoryLevel(format6, s, c);
        // The Gaussian statistics' only counterpart was the run of errors' mean square, which no evidence keeps now.
        if (perChannel != GAUSSIAN_STATS) fromHistogramStats(old, c * perChannel, s, c, format6, slotCounts);
      }
      SensorStateMigration.fromFormat6(s, format6, slotCounts);
    } catch (BufferUnderflowException e) {
      throw SensorState.invalid("truncated at byte " + in.position() + " of " + in.limit());
    }
  }

  /** Statistics per channel of a format-1 state: the count whose recent readings then end the bytes exactly. */
  private static int format1Stats(ByteBuffer in, int k) {
    for (int perChannel : new int[] {GAUSSIAN_STATS, HISTOGRAM_STATS}) {
      long ringAt = in.position() + 8L * perChannel * k;
      if (ringAt + 2 > in.limit()) continue;
      int count = Byte.toUnsignedInt(in.get((int) ringAt + 1));
      if (ringAt + 2 + 8L * count * k == in.limit()) return perChannel;
    }
    throw SensorState.invalid(
        "format 1 statistics fit neither the 5 nor the " + HISTOGRAM_STATS + " doubles a channel");
  }

  /**
   * The level, peak, histograms and daily profile of channel {@code c} at {@code old[from..]}, into format 6's
   * statistics and slot counts (the run of errors' mean square, at {@code old[from]}, into none).
   */
  private static void fromHistogramStats(double[] old, int from, SensorState s, int c, float[] stats, byte[] slotCounts) {
    int at = c * SensorStateMigration.FORMAT_6_STATS;
    stats[at + SensorStateMigration.LEVEL] = SensorState.narrow(old[from + 1]);
    stats[at + SensorStateMigration.RECENT_PEAK] = SensorState.narrow(old[from + 2]);
    stats[at + SensorStateMigration.EPISODE_LEVEL] = stats[at + SensorStateMigration.LEVEL];
    // The counts go in at age 0, where a unit stands for 1 / UNITS_PER_SURPRISE surprises.
    stats[at + SensorStateMigration.HISTORY_AGE] = 0;
    for (int e = 0; e < OLD_EVIDENCES; e++) {
      int bins = from + HISTOGRAMS_AT + e * OLD_HISTOGRAM_SIZE + 1;
      int to = SensorStateMigration.histogramNow(c, e);
      if (to < 0) continue;
      for (int b = 0; b < SensorStateMigration.BINS_BEFORE_FORMAT_8; b++) {
        double units = Math.rint(old[bins + b] * UNITS_PER_SURPRISE);
        s.histograms[to + b] = (char) Math.max(0, Math.min(0xFFFF, units));
      }
    }
    for (int slot = 0; slot < SensorStateMigration.SLOTS; slot++) {
      int old3 = from + DAILY_AT + 3 * slot;
      slotCounts[c * SensorStateMigration.SLOTS + slot] = (byte) Math.max(0, Math.min(Routine.SATURATED, old[old3]));
      stats[at + SensorStateMigration.DAILY + 2 * slot] = SensorState.narrow(old[old3 + 1] - s.origin[c]);
      stats[at + SensorStateMigration.DAILY + 2 * slot + 1] = SensorState.narrow(old[old3 + 2]);
    }
  }

  private static String string(ByteBuffer in, int max, String what) {
    int length = Short.toUnsignedInt(in.getShort());
    if (length > max) throw SensorState.invalid(what + ": " + length + " bytes exceed " + max);
    if (length > in.remaining()) throw new BufferUnderflowException();
    String text = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
    in.position(in.position() + length);
    return text;
  }

  private static float[] floats(ByteBuffer in, int n, String what) {
    if (n > in.remaining() / 4) throw new BufferUnderflowException();
    float[] values = new float[n];
    for (int j = 0; j < n; j++) {
      values[j] = in.getFloat();
      if (!Float.isFinite(values[j])) throw SensorState.invalid(what + " holds " + values[j]);
    }
    return values;
  }

  private static double[] doubles(ByteBuffer in, int n, String what) {
    if (n > in.remaining() / 8) throw new BufferUnderflowException();
    double[] values = new double[n];
    for (int j = 0; j < n; j++) values[j] = finite(in.getDouble(), what);
    return values;
  }

  /** Format 2's statistics: a bitmap of the non-zero ones, then those. */
  private static double[] sparse(ByteBuffer in, int n) {
    byte[] bitmap = new byte[(n + 7) / 8];
    in.get(bitmap);
    double[] values = new double[n];
    for (int j = 0; j < n; j++) {
      if ((bitmap[j / 8] >>> (j % 8) & 1) != 0) values[j] = finite(in.getDouble(), "likelihood");
    }
    return values;
  }

  private static double finite(double value, String what) {
    if (!Double.isFinite(value)) throw SensorState.invalid(what + " holds " + value);
    return value;
  }
}
