package io.streamlstm.streams;

import java.util.Random;

/**
 * A sensor with a recurring benign pattern, for the tests of feedback: one reading a minute from 2026-01-01, a daily-ish
 * swing and noise, and a dip of 8 for three readings every 333 minutes from minute 300 on (a routine of the machine
 * that the detector flags now and then: minutes 333 and 1332). Then faults it never showed: minutes 2750..2752
 * dip by 20 (flagged at 2752, as a level), minute 2990 rises by 16 (flagged).
 */
public final class DippingSensor {

  public static final long START = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  public static final int LENGTH = 3050;

  private DippingSensor() {}

  public static double[] values() {
    final Random random = new Random(56);
    final double[] values = new double[LENGTH];
    for (int t = 0; t < values.length; t++) {
      final boolean dip = t >= 300 && t % 333 < 3;
      values[t] = 20 + 3 * Math.sin(t / 60.0) + 0.2 * random.nextGaussian() - (dip ? 8 : 0)
          - (t >= 2750 && t < 2753 ? 20 : 0) + (t == 2990 ? 16 : 0);
    }
    return values;
  }

  public static long minute(int t) {
    return START + 60_000L * t;
  }

  /** A label on minutes {@code from}..{@code to} of {@code sensorId}, as a user sends it. */
  public static String label(String sensorId, int from, int to, String label) {
    return "{\"sensorId\":\"" + sensorId + "\",\"from\":\"" + Timestamps.format(minute(from)) + "\",\"to\":\""
        + Timestamps.format(minute(to)) + "\",\"label\":\"" + label + "\"}";
  }
}
