package io.streamlstm.detect;

/**
 * Reads the sensor-state formats that earlier builds wrote into the current {@link SensorState}, so an
 * upgrade keeps every sensor's h, C and statistics instead of starting it over. What an old format did
 * not have starts as it would for a sensor whose statistics it describes:
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
 * body and differ in their statistics, here.
 */
final class SensorStateMigration {

  /**
   * The likelihood statistics of a little-endian format, per channel: the mean square, level, recent peak and
   * histogram age, the highest bin of each of {@code evidences} surprises (which format 6 dropped: its tail
   * extrapolates from the bins that hold counts), the daily profile, then what the format had of the history
   * mean and variance and of the episode level.
   */
  private record StatsLayout(int evidences, boolean historyLevel, boolean episodeLevel) {
    int size() {
      return SCALARS + evidences + DailyProfile.SIZE + (historyLevel ? 2 : 0) + (episodeLevel ? 1 : 0);
    }

    int daily() {
      return SCALARS + evidences;
    }

    int histograms() {
      return evidences * EmpiricalTail.BINS;
    }
  }

  /** Mean square, level, recent peak and histogram age, at the same offsets in every format. */
  private static final int SCALARS = AnomalyLikelihood.DAILY;
  /** Formats 3 and 4, and the first float layout, which a build wrote as format 2. */
  private static final StatsLayout FOUR_EVIDENCES = new StatsLayout(4, false, false);
  private static final StatsLayout WITH_HISTORY_LEVEL = new StatsLayout(4, true, false);
  private static final StatsLayout WITH_EPISODE_LEVEL = new StatsLayout(5, true, true);

  private SensorStateMigration() {}

  /** Reads {@code bytes} of format {@code format}, not the current one. */
  static void decodeInto(byte[] bytes, byte format, SensorState into) {
    switch (format) {
      case 1 -> DoubleStatsFormats.read(bytes, 1, into);
      // Format 2 was written twice: big-endian doubles, whose model version starts with the high byte of a
      // 16-bit length (0 for any version name), and the floats that became format 3, whose varint length is not 0.
      case 2 -> {
        if (bytes.length > 2 && bytes[2] == 0) {
          DoubleStatsFormats.read(bytes, 2, into);
        } else {
          readLittleEndian(bytes, into, FOUR_EVIDENCES);
        }
      }
      case 3 -> readLittleEndian(bytes, into, FOUR_EVIDENCES);
      case 4 -> readLittleEndian(bytes, into, WITH_HISTORY_LEVEL);
      // Format 6 added the run of readings earlier than the last: none yet.
      case 5 -> readLittleEndian(bytes, into, WITH_EPISODE_LEVEL);
      default -> throw SensorState.invalid("unknown format version " + format + " (this build reads 1 to "
          + SensorState.FORMAT + ")");
    }
  }

  private static void readLittleEndian(byte[] bytes, SensorState into, StatsLayout old) {
    SensorState.readLittleEndian(bytes, into, old.size(), old.histograms(), false);
    int k = into.channels.length;
    float[] oldStats = into.likelihood;
    char[] oldHistograms = into.histograms;
    into.likelihood = new float[AnomalyLikelihood.STATS * k];
    into.histograms = new char[AnomalyLikelihood.HISTOGRAMS * k];
    for (int c = 0; c < k; c++) {
      int from = c * old.size();
      int to = c * AnomalyLikelihood.STATS;
      System.arraycopy(oldStats, from, into.likelihood, to, SCALARS);
      System.arraycopy(oldStats, from + old.daily(), into.likelihood, to + AnomalyLikelihood.DAILY, DailyProfile.SIZE);
      int next = from + old.daily() + DailyProfile.SIZE;
      if (old.historyLevel()) {
        System.arraycopy(oldStats, next, into.likelihood, to + AnomalyLikelihood.HISTORY_MEAN, 2);
        next += 2;
      } else {
        seedHistoryLevel(into, c);
      }
      into.likelihood[to + AnomalyLikelihood.EPISODE_LEVEL] =
          old.episodeLevel() ? oldStats[next] : into.likelihood[to + AnomalyLikelihood.LEVEL];
      System.arraycopy(oldHistograms, c * old.histograms(), into.histograms, c * AnomalyLikelihood.HISTOGRAMS,
          old.histograms());
    }
  }

  /** The history mean (relative to the origin) and variance of channel {@code c} from its normaliser. */
  static void seedHistoryLevel(SensorState state, int c) {
    int at = c * AnomalyLikelihood.STATS;
    state.likelihood[at + AnomalyLikelihood.HISTORY_MEAN] =
        SensorState.narrow(state.normaliser[2 * c] - state.origin[c]);
    state.likelihood[at + AnomalyLikelihood.HISTORY_VARIANCE] = SensorState.narrow(state.normaliser[2 * c + 1]);
  }
}
