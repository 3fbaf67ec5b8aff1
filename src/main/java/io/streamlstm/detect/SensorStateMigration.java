package io.streamlstm.detect;

import java.util.Arrays;

/**
 * Reads the sensor-state formats that earlier builds wrote into the current {@link SensorState}, so an
 * upgrade keeps every sensor's h, C and statistics instead of starting it over. Every older format is first read
 * into the statistics layout of format 6 (its fields at the offsets below), and that one into the current layout
 * ({@link #fromFormat6}). What an old format did not have starts as it would for a sensor whose statistics it
 * describes:
 * <ul>
 *   <li>the history mean and variance the level is measured against (before format 4): the normaliser's
 *       mean and variance, the sensor's level and spread as the old state knew them (zero would measure the
 *       level against a point, and call every reading far);</li>
 *   <li>the episode-scale level (before format 5): the short level average, as a new sensor's first reading
 *       sets both alike;</li>
 *   <li>a surprise histogram the format did not count: empty, as after a warm-up;</li>
 *   <li>the channel origin the float statistics are relative to (formats 1 and 2): the normaliser's mean;</li>
 *   <li>the run of readings earlier than the last accepted one (before format 6): none.</li>
 * </ul>
 * Formats 1 and 2 are read by {@link DoubleStatsFormats}; the little-endian ones, which share the current
 * body and differ in their statistics, here. Formats 7 to 9 have the current statistics but for two evidences
 * ({@link #fromFormat9}): the run of errors they judged (its average and its histogram) has no successor, and the
 * network's memory ({@link Memory}), which took its place, starts as a new sensor's: it takes its places from the
 * memories to come and counts its surprises for a warm-up before it judges. Formats 7 and 8 also lack the stuck
 * run's slice, which starts as a new sensor's (it learns the sensor's repeats for a warm-up before it judges). Every
 * format before 8 counted each surprise in {@link #BINS_BEFORE_FORMAT_8} bins, which keep their counts among the
 * current ones ({@link #widened}). Format 10 has the current statistics but the sudden error's slice, the sensor's
 * usual spacing ({@link #fromFormat10}); every older format lacked it too. It starts as a new sensor's: the gaps to
 * come teach it. Formats 11 and 12 have the current statistics. What a one-channel model's lanes lack is at their end:
 * format 12 the second {@link ConfidenceScale}'s slice (the forecast move's), every older format both
 * ({@link #withConfidenceSlices}). They start empty: each factor stays 1 until the sensor's errors have taught it.
 */
final class SensorStateMigration {

  // Format 6's statistics per channel (formats 3 to 5 differ only in what they lacked or had beyond these). The
  // first, the run of errors' mean square, has no successor.
  static final int MEAN_SQUARE = 0;
  static final int LEVEL = 1;
  static final int RECENT_PEAK = 2;
  static final int HISTORY_AGE = 3;
  /** Per hour slot its mean (relative to the origin) and variance; the slots' counts were bytes apart. */
  static final int DAILY = 4;
  static final int SLOTS = 24;
  static final int HISTORY_MEAN = DAILY + 2 * SLOTS;
  static final int HISTORY_VARIANCE = HISTORY_MEAN + 1;
  static final int EPISODE_LEVEL = HISTORY_VARIANCE + 1;
  static final int FORMAT_6_STATS = EPISODE_LEVEL + 1;
  /** Bins of each surprise histogram before format 8: the last one took every surprise from 310 σ up. */
  static final int BINS_BEFORE_FORMAT_8 = 24;
  // Format 9's statistics per channel: the four shared floats, then the run of errors' average, the level, the
  // routine, the lasting departure and the stuck run's slice. Formats 7 and 8 ended before the stuck run's.
  private static final int SHARED = AnomalyLikelihood.SUDDEN_ERROR;
  private static final int FORMAT_9_LEVEL = SHARED + 1;
  /** Format 9's slices from the level to the lasting departure, in the order the current format keeps them. */
  private static final int FORMAT_9_KEPT = Level.SIZE + Routine.SIZE + Level.SIZE;
  static final int FORMAT_8_STATS = FORMAT_9_LEVEL + FORMAT_9_KEPT;
  static final int FORMAT_9_STATS = FORMAT_8_STATS + Stuck.SIZE;
  /**
   * Formats 3 to 9 judged the sudden error, the run of errors, the level, the routine and the lasting departure (3
   * and 4 the first four), their histograms in that order; the current index of each, -1 for the run of errors.
   */
  private static final int[] EVIDENCE_NOW = {0, -1, 1, 2, 3};
  private static final int FORMAT_9_EVIDENCES = EVIDENCE_NOW.length;
  private static final int FORMAT_7_HISTOGRAMS = FORMAT_9_EVIDENCES * BINS_BEFORE_FORMAT_8;
  private static final int FORMAT_8_HISTOGRAMS = FORMAT_9_EVIDENCES * EmpiricalTail.BINS;
  /** Format 10's statistics per channel: the current ones without the sudden error's slice. */
  static final int FORMAT_10_STATS = AnomalyLikelihood.STATS - SuddenError.SIZE;

  /**
   * The likelihood statistics of a little-endian format, per channel: the mean square, level, recent peak and
   * histogram age, the highest bin of each of {@code evidences} surprises (formats before 6: their tails did not
   * extrapolate from the bins that hold counts), the daily profile, then what the format had of the history
   * mean and variance and of the episode level.
   */
  private record StatsLayout(int evidences, boolean highestBins, boolean historyLevel, boolean episodeLevel) {
    int size() {
      return DAILY + (highestBins ? evidences : 0) + 2 * SLOTS + (historyLevel ? 2 : 0) + (episodeLevel ? 1 : 0);
    }

    int daily() {
      return DAILY + (highestBins ? evidences : 0);
    }

    int histograms() {
      return evidences * BINS_BEFORE_FORMAT_8;
    }
  }

  /** Formats 3 and 4, and the first float layout, which a build wrote as format 2. */
  private static final StatsLayout FOUR_EVIDENCES = new StatsLayout(4, true, false, false);
  private static final StatsLayout WITH_HISTORY_LEVEL = new StatsLayout(4, true, true, false);
  private static final StatsLayout WITH_EPISODE_LEVEL = new StatsLayout(5, true, true, true);
  private static final StatsLayout FORMAT_6 = new StatsLayout(5, false, true, true);

  private SensorStateMigration() {}

  /** Reads {@code bytes} of format {@code format}, not the current one. */
  static void decodeInto(byte[] bytes, byte format, SensorState into) {
    readStatistics(bytes, format, into);
    withConfidenceSlices(into, format == 12 ? 1 : 2);
  }

  /** Reads {@code bytes} of format {@code format} with its statistics in the current layout. */
  private static void readStatistics(byte[] bytes, byte format, SensorState into) {
    switch (format) {
      case 1 -> DoubleStatsFormats.read(bytes, 1, into);
      // Format 2 was written twice: big-endian doubles, whose model version starts with the high byte of a
      // 16-bit length (0 for any version name), and the floats that became format 3, whose varint length is not 0.
      case 2 -> {
        if (bytes.length > 2 && bytes[2] == 0) {
          DoubleStatsFormats.read(bytes, 2, into);
        } else {
          readLittleEndian(bytes, into, FOUR_EVIDENCES, false);
        }
      }
      case 3 -> readLittleEndian(bytes, into, FOUR_EVIDENCES, false);
      case 4 -> readLittleEndian(bytes, into, WITH_HISTORY_LEVEL, false);
      // Format 6 added the run of readings earlier than the last: none yet.
      case 5 -> readLittleEndian(bytes, into, WITH_EPISODE_LEVEL, false);
      case 6 -> readLittleEndian(bytes, into, FORMAT_6, true);
      case 7 -> {
        SensorState.readLittleEndian(bytes, into, FORMAT_8_STATS, FORMAT_7_HISTOGRAMS, true, false);
        into.histograms = widened(into.histograms, into.channels.length, FORMAT_9_EVIDENCES, BINS_BEFORE_FORMAT_8);
        into.likelihood = fromFormat9(into.likelihood, into.channels.length, FORMAT_8_STATS);
      }
      case 8, 9 -> {
        int stats = format == 8 ? FORMAT_8_STATS : FORMAT_9_STATS;
        SensorState.readLittleEndian(bytes, into, stats, FORMAT_8_HISTOGRAMS, true, false);
        into.histograms = widened(into.histograms, into.channels.length, FORMAT_9_EVIDENCES, EmpiricalTail.BINS);
        into.likelihood = fromFormat9(into.likelihood, into.channels.length, stats);
      }
      case 10 -> {
        SensorState.readLittleEndian(bytes, into, FORMAT_10_STATS, AnomalyLikelihood.HISTOGRAMS, true, false);
        into.likelihood = fromFormat10(into.likelihood, into.channels.length);
      }
      case 11, 12 -> SensorState.readLittleEndian(bytes, into, AnomalyLikelihood.STATS, AnomalyLikelihood.HISTOGRAMS, true,
          false);
      default -> throw SensorState.invalid("unknown format version " + format + " (this build reads 1 to "
          + SensorState.FORMAT + ")");
    }
  }

  /**
   * A one-channel model's lanes (one a channel) with {@code missing} {@link ConfidenceScale} slices appended, empty.
   * A lane of another shape than the model's (a model of several channels, or a format before the per-sensor readout)
   * is re-warmed by the detector whatever its length.
   */
  static void withConfidenceSlices(SensorState state, int missing) {
    if (state.recurrent.length != state.channels.length) return;
    int added = missing * ConfidenceScale.SIZE;
    for (int lane = 0; lane < state.recurrent.length; lane++) {
      state.recurrent[lane] = Arrays.copyOf(state.recurrent[lane], state.recurrent[lane].length + added);
    }
  }

  private static void readLittleEndian(byte[] bytes, SensorState into, StatsLayout old, boolean withBackwardsRun) {
    byte[] slotCounts = SensorState.readLittleEndian(bytes, into, old.size(), old.histograms(), withBackwardsRun, true);
    int k = into.channels.length;
    float[] oldStats = into.likelihood;
    char[] oldHistograms = into.histograms;
    float[] format6 = new float[FORMAT_6_STATS * k];
    for (int c = 0; c < k; c++) {
      int from = c * old.size();
      int to = c * FORMAT_6_STATS;
      System.arraycopy(oldStats, from, format6, to, DAILY);
      System.arraycopy(oldStats, from + old.daily(), format6, to + DAILY, 2 * SLOTS);
      int next = from + old.daily() + 2 * SLOTS;
      if (old.historyLevel()) {
        System.arraycopy(oldStats, next, format6, to + HISTORY_MEAN, 2);
        next += 2;
      } else {
        seedHistoryLevel(format6, into, c);
      }
      format6[to + EPISODE_LEVEL] = old.episodeLevel() ? oldStats[next] : format6[to + LEVEL];
    }
    into.histograms = widened(oldHistograms, k, old.evidences(), BINS_BEFORE_FORMAT_8);
    fromFormat6(into, format6, slotCounts);
  }

  /**
   * The {@code evidences} histograms a channel of {@code oldBins} bins each, for {@code k} channels, in the current
   * histograms of {@link EmpiricalTail#BINS} of the evidences that kept them ({@link #histogramNow}): each bin keeps
   * its counts, the bins above and any histogram the format did not count start empty. Before format 8 a histogram
   * had {@link #BINS_BEFORE_FORMAT_8}: the old last bin's counts, surprises of 310 σ or more of no known size, stay in
   * that bin, so such a surprise ranks as it did until larger ones are counted in the bins above.
   */
  static char[] widened(char[] old, int k, int evidences, int oldBins) {
    char[] now = new char[AnomalyLikelihood.HISTOGRAMS * k];
    for (int c = 0; c < k; c++) {
      for (int e = 0; e < evidences; e++) {
        if (EVIDENCE_NOW[e] < 0) continue;
        System.arraycopy(old, (c * evidences + e) * oldBins, now, histogramNow(c, e), oldBins);
      }
    }
    return now;
  }

  /**
   * Where evidence {@code e} of formats 3 to 9 keeps its histogram now, for channel {@code c}; -1 for the run of
   * errors, which no evidence carries on.
   */
  static int histogramNow(int c, int e) {
    return EVIDENCE_NOW[e] < 0 ? -1 : c * AnomalyLikelihood.HISTOGRAMS + EVIDENCE_NOW[e] * EmpiricalTail.BINS;
  }

  /**
   * Format 9's statistics of {@code k} channels, {@code perChannel} floats each (formats 7 and 8 ended before the
   * stuck run's slice), in the current layout: the run of errors' average left out, the memory's slice and what
   * the format lacked of the stuck run's empty.
   */
  static float[] fromFormat9(float[] old, int k, int perChannel) {
    float[] now = new float[AnomalyLikelihood.STATS * k];
    for (int c = 0; c < k; c++) {
      int from = c * perChannel;
      int to = c * AnomalyLikelihood.STATS;
      System.arraycopy(old, from, now, to, SHARED);
      System.arraycopy(old, from + FORMAT_9_LEVEL, now, to + AnomalyLikelihood.LEVEL, FORMAT_9_KEPT);
      if (perChannel == FORMAT_9_STATS) {
        System.arraycopy(old, from + FORMAT_8_STATS, now, to + AnomalyLikelihood.STUCK, Stuck.SIZE);
      }
    }
    return now;
  }

  /** Format 10's statistics of {@code k} channels in the current layout: the sudden error's slice empty. */
  static float[] fromFormat10(float[] old, int k) {
    float[] now = new float[AnomalyLikelihood.STATS * k];
    for (int c = 0; c < k; c++) {
      int from = c * FORMAT_10_STATS;
      int to = c * AnomalyLikelihood.STATS;
      System.arraycopy(old, from, now, to, SHARED);
      System.arraycopy(old, from + SHARED, now, to + AnomalyLikelihood.LEVEL, FORMAT_10_STATS - SHARED);
    }
    return now;
  }

  /** The history mean (relative to the origin) and variance of channel {@code c} of format-6 statistics from its normaliser. */
  static void seedHistoryLevel(float[] format6, SensorState state, int c) {
    int at = c * FORMAT_6_STATS;
    format6[at + HISTORY_MEAN] = SensorState.narrow(state.normaliser[2 * c] - state.origin[c]);
    format6[at + HISTORY_VARIANCE] = SensorState.narrow(state.normaliser[2 * c + 1]);
  }

  /**
   * Format 6's statistics and hour-slot counts into the current layout: each value to the slice of the evidence
   * that keeps it now (the run of errors' mean square to none).
   */
  static void fromFormat6(SensorState into, float[] format6, byte[] slotCounts) {
    int k = into.channels.length;
    into.likelihood = new float[AnomalyLikelihood.STATS * k];
    for (int c = 0; c < k; c++) {
      int from = c * FORMAT_6_STATS;
      int to = c * AnomalyLikelihood.STATS;
      float[] now = into.likelihood;
      now[to + AnomalyLikelihood.RECENT_PEAK] = format6[from + RECENT_PEAK];
      now[to + AnomalyLikelihood.HISTORY_AGE] = format6[from + HISTORY_AGE];
      now[to + AnomalyLikelihood.HISTORY_MEAN] = format6[from + HISTORY_MEAN];
      now[to + AnomalyLikelihood.HISTORY_VARIANCE] = format6[from + HISTORY_VARIANCE];
      now[to + AnomalyLikelihood.LEVEL] = format6[from + LEVEL];
      now[to + AnomalyLikelihood.LASTING_DEPARTURE] = format6[from + EPISODE_LEVEL];
      for (int slot = 0; slot < SLOTS; slot++) {
        int s = to + AnomalyLikelihood.ROUTINE + Routine.PER_SLOT * slot;
        int count = Byte.toUnsignedInt(slotCounts[c * SLOTS + slot]);
        now[s + Routine.COUNT] = count;
        // The hour's mean was an average over the whole hour: a flat line through it, as if fitted on readings
        // spread evenly over the hour (time variance 1/12), from which later readings learn a slope.
        now[s + Routine.MEAN] = format6[from + DAILY + 2 * slot];
        now[s + Routine.TIME_VARIANCE] = count > 0 ? 1 / 12f : 0;
        now[s + Routine.RESIDUAL_VARIANCE] = format6[from + DAILY + 2 * slot + 1];
      }
    }
  }
}
