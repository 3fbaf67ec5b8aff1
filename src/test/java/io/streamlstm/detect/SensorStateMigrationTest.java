package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.lstm.Models;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every state format an earlier build wrote is read into the current one. The fixtures and the field dumps
 * beside them were made by the builds that wrote those formats (see README.txt next to them), from 300
 * readings of a seeded cycle; here the same series goes on.
 */
class SensorStateMigrationTest {

  /** Floats a channel of format 5's statistics: format 6 has five fewer (no highest bin per surprise). */
  private static final int FORMAT_5_STATS = 60;
  private static final int FORMAT_6_STATS = SensorStateMigration.FORMAT_6_STATS;
  private static final int OLD_BINS = SensorStateMigration.BINS_BEFORE_FORMAT_8;
  private static final int FORMAT_8_STATS = SensorStateMigration.FORMAT_8_STATS;
  private static final int FORMAT_9_STATS = SensorStateMigration.FORMAT_9_STATS;
  private static final int FORMAT_10_STATS = SensorStateMigration.FORMAT_10_STATS;
  /**
   * Formats 3 to 9 counted the sudden error, the run of errors, the level, the routine and the lasting departure, in
   * that order; where each histogram is among the current ones (the run of errors' nowhere).
   */
  private static final int[] HISTOGRAM_NOW = {0, -1, 1, 2, 3};

  private static final long START = 1767225600000L; // 2026-01-01T00:00:00Z, as the fixtures' series
  private static final long STEP = 300_000L;
  private static final int FIXTURE_READINGS = 300;

  @ParameterizedTest
  @ValueSource(strings = {"state-format-1", "state-format-1-histograms", "state-format-2", "state-format-2-floats",
      "state-format-3", "state-format-4", "state-format-5", "state-format-6", "state-format-7", "state-format-8",
      "state-format-9", "state-format-10", "state-format-11", "state-format-12"})
  void everyOldFormatKeepsWhatItHeldAndScoresOn(String fixture) throws IOException {
    for (String name : new String[] {fixture, fixture + "-two-channel"}) {
      Properties written = dump(name);
      SensorState state = SensorState.decode(resource(name + ".bin"));
      int k = state.channels.length;

      assertEquals(written.getProperty("modelVersion"), state.modelVersion(), name);
      assertArrayEquals(written.getProperty("channels").split(","), state.channels(), name);
      assertEquals(FIXTURE_READINGS, state.readings(), name);
      assertEquals(Long.parseLong(written.getProperty("lastTimestampMillis")), state.lastTimestampMillis(), name);
      String[] lanes = written.getProperty("recurrent").split(";");
      assertEquals(lanes.length, state.recurrent.length, name);
      int missingScales = fixture.equals("state-format-12") ? 1 : 2;
      for (int lane = 0; lane < lanes.length; lane++) {
        assertConfidenceSlicesAppended(name, floats(lanes[lane]), state.recurrent[lane], missingScales);
      }
      assertArrayEquals(floats(written.getProperty("predictedMean")), state.predictedMean, name);
      assertArrayEquals(floats(written.getProperty("predictedSigma")), state.predictedSigma, name);
      assertArrayEquals(doubles(written.getProperty("normaliser")), state.normaliser, name);
      int recentCount = Integer.parseInt(written.getProperty("recentCount"));
      assertEquals(recentCount, state.recentCount, name);
      double[] recent = doubles(written.getProperty("recent"));
      for (int j = 0; j < recentCount * k; j++) assertEquals(SensorState.narrow(recent[j]), state.recent[j], name);

      double[] oldStats = doubles(written.getProperty("likelihood"));
      int oldPerChannel = oldStats.length / k;
      for (int c = 0; c < k; c++) {
        int at = c * AnomalyLikelihood.STATS;
        double[] old = Arrays.copyOfRange(oldStats, c * oldPerChannel, (c + 1) * oldPerChannel);
        if (oldPerChannel == AnomalyLikelihood.STATS) {
          assertEveryStatisticKept(name, written, state, c);
          continue;
        }
        assertSpacingStartsOver(name, state, c);
        if (oldPerChannel == FORMAT_10_STATS) {
          assertFormat10Kept(name, written, state, c);
          continue;
        }
        assertMemoryStartsOver(name, state, c);
        if (oldPerChannel == FORMAT_8_STATS || oldPerChannel == FORMAT_9_STATS) {
          assertCurrentStatisticsKept(name, written, state, c, oldPerChannel);
          continue;
        }
        if (oldPerChannel == 5) {
          // The first format's Gaussian history has no counterpart: the rest starts as a new sensor's.
          assertEquals(0, state.likelihood[at + AnomalyLikelihood.LEVEL], name);
          assertEquals(0, slot(state, c, 0, Routine.COUNT), name);
        } else {
          assertEquals(SensorState.narrow(old[1]), state.likelihood[at + AnomalyLikelihood.LEVEL], name + " level");
          assertEquals(SensorState.narrow(old[2]), state.likelihood[at + AnomalyLikelihood.RECENT_PEAK], name + " peak");
        }
        if (oldPerChannel != 5 && oldPerChannel != FORMAT_5_STATS && oldPerChannel != FORMAT_6_STATS) {
          assertEquals(state.likelihood[at + AnomalyLikelihood.LEVEL], state.likelihood[at + AnomalyLikelihood.LASTING_DEPARTURE],
              name + " episode level starts at the level");
        }
        if (written.getProperty("histograms") == null) {
          if (oldPerChannel != 5) assertDoubleHistogramsKept(name, state, c, old);
        } else {
          assertFloatStatisticsKept(name, written, state, c, oldPerChannel);
        }
        if (oldPerChannel != 58 && oldPerChannel != FORMAT_5_STATS && oldPerChannel != FORMAT_6_STATS) {
          // No history of the level yet: measured against the normaliser's mean and spread.
          assertEquals(SensorState.narrow(state.normaliser[2 * c + 1]),
              state.likelihood[at + AnomalyLikelihood.HISTORY_VARIANCE], name);
        }
      }
      SensorState back = SensorState.decode(state.encode());
      assertEquals(state, back, name + ": the migrated state is a state of the current format");
      int anomalies = scoresOn(name, state, k);
      if (oldPerChannel == 5) {
        // The first format kept no surprise histories and no daily profile: they fill while the sensor is judged
        // (a new sensor fills its daily profile during warm-up), so a first day can raise the odd alarm, at about
        // the rate of the alarm level (1 in 500), no more.
        assertTrue(anomalies <= 1, name + ": " + anomalies + " alarms in " + FIXTURE_READINGS + " readings");
      } else {
        assertEquals(0, anomalies, name + ": the series goes on as it was, and the upgrade raises no alarm");
      }
    }
  }

  /** Formats 1 (later) and 2: the double bins as 16-bit units at age 0, the slot counts and daily means. */
  private static void assertDoubleHistogramsKept(String name, SensorState state, int c, double[] old) {
    int at = c * AnomalyLikelihood.STATS;
    assertEquals(0, state.likelihood[at + AnomalyLikelihood.HISTORY_AGE], name);
    for (int e = 0; e < 4; e++) {
      if (HISTOGRAM_NOW[e] < 0) continue;
      boolean counted = false;
      for (int b = 0; b < OLD_BINS; b++) {
        double count = old[3 + e * (OLD_BINS + 1) + 1 + b];
        char units = state.histograms[c * AnomalyLikelihood.HISTOGRAMS + HISTOGRAM_NOW[e] * EmpiricalTail.BINS + b];
        // A bin keeps its count, in units of about a tenth of a surprise; only a faded trace rounds to 0.
        if (units > 0) assertTrue(count > 0, name);
        if (count >= 0.1) assertTrue(units > 0, name + " histogram " + e + " bin " + b);
        counted |= units > 0;
      }
      assertTrue(counted, name + ": histogram " + e + " counted something");
    }
    int daily = 3 + 4 * (OLD_BINS + 1);
    for (int slot = 0; slot < Routine.SLOTS; slot++) {
      assertEquals((int) old[daily + 3 * slot], slot(state, c, slot, Routine.COUNT), name);
      assertEquals(SensorState.narrow(old[daily + 3 * slot + 1] - state.origin[c]), slot(state, c, slot, Routine.MEAN), name);
    }
  }

  /** Formats 3 to 6: statistics, histograms, slot counts and origin move over as they were (the bins widened). */
  private static void assertFloatStatisticsKept(String name, Properties written, SensorState state, int c, int oldPerChannel) {
    int at = c * AnomalyLikelihood.STATS;
    float[] old = Arrays.copyOfRange(floats(written.getProperty("likelihood")), c * oldPerChannel, (c + 1) * oldPerChannel);
    assertStatisticsMoved(name, old, state, at, oldPerChannel);
    int[] histograms = ints(written.getProperty("histograms"));
    assertHistogramsWidened(name, histograms, state, c);
    int[] slots = ints(written.getProperty("slotCounts"));
    for (int j = 0; j < Routine.SLOTS; j++) assertEquals(slots[c * Routine.SLOTS + j], slot(state, c, j, Routine.COUNT), name);
    assertEquals(doubles(written.getProperty("origin"))[c], state.origin[c], name);
    String backwardsRun = written.getProperty("backwardsRun");
    assertEquals(backwardsRun == null ? 0 : Integer.parseInt(backwardsRun), state.backwardsRun, name);
  }

  /**
   * Every fixture's model reads one channel, so each lane is a per-sensor readout's: kept as written, with the {@link
   * ConfidenceScale} slices it lacked ({@code missing}: the forecast move's before format 13, the σ's too before 12)
   * appended empty.
   */
  private static void assertConfidenceSlicesAppended(String name, float[] written, float[] lane, int missing) {
    assertEquals(written.length + missing * ConfidenceScale.SIZE, lane.length, name);
    assertArrayEquals(written, Arrays.copyOf(lane, written.length), name);
    assertArrayEquals(new float[missing * ConfidenceScale.SIZE], Arrays.copyOfRange(lane, written.length, lane.length),
        name);
  }

  /** Formats 11 and 12: every statistic and histogram as it was, the usual spacing and the memory's places included. */
  private static void assertEveryStatisticKept(String name, Properties written, SensorState state, int c) {
    int stats = AnomalyLikelihood.STATS;
    assertArrayEquals(Arrays.copyOfRange(floats(written.getProperty("likelihood")), c * stats, (c + 1) * stats),
        Arrays.copyOfRange(state.likelihood, c * stats, (c + 1) * stats), name);
    assertTrue(state.likelihood[c * stats + AnomalyLikelihood.SUDDEN_ERROR] > 0, name + ": the usual spacing was kept");
    int histograms = AnomalyLikelihood.HISTOGRAMS;
    int[] counts = ints(written.getProperty("histograms"));
    for (int j = 0; j < histograms; j++) assertEquals(counts[c * histograms + j], state.histograms[c * histograms + j], name);
    assertEquals(doubles(written.getProperty("origin"))[c], state.origin[c], name);
  }

  /** No format before 11 knew the sensor's usual spacing: the gaps to come teach it, as a new sensor's. */
  private static void assertSpacingStartsOver(String name, SensorState state, int c) {
    int at = c * AnomalyLikelihood.STATS + AnomalyLikelihood.SUDDEN_ERROR;
    assertArrayEquals(new float[SuddenError.SIZE], Arrays.copyOfRange(state.likelihood, at, at + SuddenError.SIZE), name);
  }

  /** Format 10: every statistic and histogram as it was, the memory's places included; only the spacing is new. */
  private static void assertFormat10Kept(String name, Properties written, SensorState state, int c) {
    int at = c * AnomalyLikelihood.STATS;
    float[] old = Arrays.copyOfRange(floats(written.getProperty("likelihood")), c * FORMAT_10_STATS, (c + 1) * FORMAT_10_STATS);
    int shared = AnomalyLikelihood.SUDDEN_ERROR;
    assertArrayEquals(Arrays.copyOfRange(old, 0, shared), Arrays.copyOfRange(state.likelihood, at, at + shared), name);
    assertArrayEquals(Arrays.copyOfRange(old, shared, FORMAT_10_STATS),
        Arrays.copyOfRange(state.likelihood, at + AnomalyLikelihood.LEVEL, at + AnomalyLikelihood.STATS), name);
    assertTrue(state.likelihood[at + AnomalyLikelihood.MEMORY] > 0, name + ": the memory's places were taken and kept");
    int[] histograms = ints(written.getProperty("histograms"));
    for (int j = 0; j < AnomalyLikelihood.HISTOGRAMS; j++) {
      assertEquals(histograms[c * AnomalyLikelihood.HISTOGRAMS + j], state.histograms[c * AnomalyLikelihood.HISTOGRAMS + j], name);
    }
    assertEquals(doubles(written.getProperty("origin"))[c], state.origin[c], name);
  }

  /** The network's memory, which no earlier format judged: its places and its histogram empty, as a new sensor's. */
  private static void assertMemoryStartsOver(String name, SensorState state, int c) {
    int at = c * AnomalyLikelihood.STATS + AnomalyLikelihood.MEMORY;
    assertArrayEquals(new float[Memory.SIZE], Arrays.copyOfRange(state.likelihood, at, at + Memory.SIZE), name);
    int histogram = c * AnomalyLikelihood.HISTOGRAMS + AnomalyLikelihood.MEMORY_HISTOGRAM * EmpiricalTail.BINS;
    for (int b = 0; b < EmpiricalTail.BINS; b++) assertEquals(0, state.histograms[histogram + b], name + " memory bin " + b);
  }

  /**
   * Formats 7 to 9: the statistics as they were but the run of errors' average, which no evidence keeps now; the stuck
   * run's slice as format 9 kept it, empty before; format 7's histograms of 24 bins each the first of its 32, format
   * 8's and 9's as they were; the run of errors' histogram left out.
   */
  private static void assertCurrentStatisticsKept(String name, Properties written, SensorState state, int c, int oldPerChannel) {
    int at = c * AnomalyLikelihood.STATS;
    float[] old = Arrays.copyOfRange(floats(written.getProperty("likelihood")), c * oldPerChannel, (c + 1) * oldPerChannel);
    float[] now = state.likelihood;
    // Format 9's channel: peak, age, history mean and variance; the run of errors' average; the level, the routine's
    // slots and the lasting departure; the stuck run's slice.
    assertArrayEquals(Arrays.copyOfRange(old, 0, 4), Arrays.copyOfRange(now, at, at + 4), name);
    int kept = Level.SIZE + Routine.SIZE + Level.SIZE;
    assertArrayEquals(Arrays.copyOfRange(old, 5, 5 + kept),
        Arrays.copyOfRange(now, at + AnomalyLikelihood.LEVEL, at + AnomalyLikelihood.LEVEL + kept), name);
    float[] stuck = Arrays.copyOfRange(now, at + AnomalyLikelihood.STUCK, at + AnomalyLikelihood.STATS);
    float[] stuckBefore = oldPerChannel == FORMAT_9_STATS ? Arrays.copyOfRange(old, 5 + kept, oldPerChannel) : new float[Stuck.SIZE];
    assertArrayEquals(stuckBefore, stuck, name + ": the stuck run as the format kept it, else as a new sensor's");
    int[] histograms = ints(written.getProperty("histograms"));
    int oldHistograms = histograms.length / state.channels.length;
    if (oldHistograms == HISTOGRAM_NOW.length * EmpiricalTail.BINS) {
      for (int e = 0; e < HISTOGRAM_NOW.length; e++) {
        if (HISTOGRAM_NOW[e] < 0) continue;
        for (int b = 0; b < EmpiricalTail.BINS; b++) {
          assertEquals(histograms[c * oldHistograms + e * EmpiricalTail.BINS + b],
              state.histograms[c * AnomalyLikelihood.HISTOGRAMS + HISTOGRAM_NOW[e] * EmpiricalTail.BINS + b],
              name + " histogram " + e + " bin " + b);
        }
      }
    } else {
      assertHistogramsWidened(name, histograms, state, c);
    }
    assertEquals(doubles(written.getProperty("origin"))[c], state.origin[c], name);
    assertEquals(Integer.parseInt(written.getProperty("backwardsRun")), state.backwardsRun, name);
  }

  /**
   * Channel {@code c}'s histograms of {@link #OLD_BINS} bins each keep every count where the evidence lives on; the
   * bins above are empty.
   */
  private static void assertHistogramsWidened(String name, int[] histograms, SensorState state, int c) {
    int oldPerChannel = histograms.length / state.channels.length;
    for (int e = 0; e < oldPerChannel / OLD_BINS; e++) {
      if (HISTOGRAM_NOW[e] < 0) continue;
      int to = c * AnomalyLikelihood.HISTOGRAMS + HISTOGRAM_NOW[e] * EmpiricalTail.BINS;
      for (int b = 0; b < EmpiricalTail.BINS; b++) {
        int expected = b < OLD_BINS ? histograms[c * oldPerChannel + e * OLD_BINS + b] : 0;
        assertEquals(expected, state.histograms[to + b], name + " histogram " + e + " bin " + b);
      }
    }
  }

  /** Field {@code field} of hour slot {@code slot} of channel {@code c}'s routine. */
  private static float slot(SensorState state, int c, int slot, int field) {
    return state.likelihood[c * AnomalyLikelihood.STATS + AnomalyLikelihood.ROUTINE + slot * Routine.PER_SLOT + field];
  }

  /**
   * Formats 3 and 4 (56 and 58 floats a channel) judged four surprises, format 5 (60) five, each keeping the highest
   * bin of every surprise after the four scalars, which format 6 (55) dropped. The scalars, the hour slots' means
   * and variances and what the format had of the history and episode levels move to the slices that keep them now;
   * each hour's mean becomes a flat line through it.
   */
  private static void assertStatisticsMoved(String name, float[] old, SensorState state, int at, int oldPerChannel) {
    int highestBins = oldPerChannel == FORMAT_6_STATS ? 0 : oldPerChannel == FORMAT_5_STATS ? 5 : 4;
    float[] now = state.likelihood;
    assertEquals(old[SensorStateMigration.LEVEL], now[at + AnomalyLikelihood.LEVEL], name);
    assertEquals(old[SensorStateMigration.RECENT_PEAK], now[at + AnomalyLikelihood.RECENT_PEAK], name);
    assertEquals(old[SensorStateMigration.HISTORY_AGE], now[at + AnomalyLikelihood.HISTORY_AGE], name);
    int daily = SensorStateMigration.DAILY + highestBins;
    for (int slot = 0; slot < Routine.SLOTS; slot++) {
      int s = at + AnomalyLikelihood.ROUTINE + slot * Routine.PER_SLOT;
      assertEquals(old[daily + 2 * slot], now[s + Routine.MEAN], name + " slot " + slot);
      assertEquals(old[daily + 2 * slot + 1], now[s + Routine.RESIDUAL_VARIANCE], name + " slot " + slot);
      assertEquals(0, now[s + Routine.COVARIANCE], name + " slot " + slot + " flat");
    }
    int next = daily + 2 * Routine.SLOTS;
    if (oldPerChannel >= 58 || oldPerChannel == FORMAT_6_STATS) {
      assertEquals(old[next], now[at + AnomalyLikelihood.HISTORY_MEAN], name);
      assertEquals(old[next + 1], now[at + AnomalyLikelihood.HISTORY_VARIANCE], name);
    }
    if (oldPerChannel == FORMAT_5_STATS || oldPerChannel == FORMAT_6_STATS) {
      assertEquals(old[next + 2], now[at + AnomalyLikelihood.LASTING_DEPARTURE], name);
    }
  }

  /**
   * The fixtures' series goes on for 300 more readings with the shipped model: no refusal, no warm-up, finite;
   * returns the alarms raised.
   */
  private static int scoresOn(String name, SensorState state, int k) {
    Detector detector = new Detector(Models.loadDefault(), DetectorConfig.defaults());
    Random random = new Random(42);
    int anomalies = 0;
    for (int i = 0; i < 2 * FIXTURE_READINGS; i++) {
      double a = 10 + 2 * Math.sin(2 * Math.PI * i / 96) + 0.3 * random.nextGaussian();
      double b = 0.5 + 0.1 * Math.cos(2 * Math.PI * i / 96) + 0.05 * random.nextGaussian();
      if (i < FIXTURE_READINGS) continue;
      Reading reading = k == 1 ? Reading.single(START + i * STEP, a)
          : new Reading(START + i * STEP, new String[] {"temp", "vibration"}, new double[] {a, b});
      Outcome outcome = detector.process(state, reading);
      assertTrue(outcome.accepted(), name + " reading " + i + ": " + outcome.rejection());
      Score score = outcome.score();
      assertFalse(score.warmingUp(), name);
      assertTrue(score.likelihood() >= 0 && score.likelihood() <= 1, name + ": " + score.likelihood());
      if (score.anomaly()) anomalies++;
      for (float[] lane : state.recurrent) {
        for (float v : lane) assertTrue(Float.isFinite(v), name);
      }
    }
    assertEquals(2 * FIXTURE_READINGS, state.readings(), name);
    assertEquals(Models.loadDefault().version(), state.modelVersion(), name + ": re-warmed for the shipped model");
    return anomalies;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = SensorStateMigrationTest.class.getResourceAsStream(name)) {
      if (in == null) throw new IOException("missing fixture " + name);
      return in.readAllBytes();
    }
  }

  private static Properties dump(String name) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(new String(resource(name + ".properties"), StandardCharsets.UTF_8)));
    return p;
  }

  private static float[] floats(String list) {
    String[] parts = list.split(",");
    float[] values = new float[parts.length];
    for (int j = 0; j < parts.length; j++) values[j] = Float.parseFloat(parts[j]);
    return values;
  }

  private static double[] doubles(String list) {
    return Arrays.stream(list.split(",")).mapToDouble(Double::parseDouble).toArray();
  }

  private static int[] ints(String list) {
    return Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
  }
}
