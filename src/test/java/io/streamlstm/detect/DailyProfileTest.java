package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DailyProfileTest {

  private static final long HOUR = 3_600_000L;

  @Test
  void aReadingIsJudgedAgainstItsHourOnEarlierDaysOnceTheHourHasSettled() {
    float[] stats = new float[DailyProfile.SIZE];
    byte[] seen = new byte[DailyProfile.SLOTS];
    // Three days of hourly readings equal to the hour: every slot settles at mean h, variance 0.
    for (int day = 0; day < 3; day++) {
      for (int h = 0; h < 24; h++) {
        assertEquals(0, DailyProfile.deviation(stats, 0, seen, 0, h, 10, (day * 24L + h) * HOUR, HOUR, new double[2]), "settling");
      }
    }
    long fourthDay = 3 * 24 * HOUR;
    // As usual for 05:00: no deviation.
    assertEquals(0, DailyProfile.deviation(stats, 0, seen, 0, 5, 10, fourthDay + 5 * HOUR, HOUR, new double[2]), 1e-12);
    // One unit above 06:00's usual 6, with the spread at its floor 0.05 * 10 = 0.5: 2 spreads.
    assertEquals(2, DailyProfile.deviation(stats, 0, seen, 0, 7, 10, fourthDay + 6 * HOUR, HOUR, new double[2]), 1e-12);
    // 18:00's usual value at 07:00 is far off for 07:00: (18 - 7) / 0.5 = 22 spreads.
    assertEquals(22, DailyProfile.deviation(stats, 0, seen, 0, 18, 10, fourthDay + 7 * HOUR + 59 * 60_000L, HOUR, new double[2]), 1e-12);
  }

  /** One channel's daily profile. */
  private record Profile(float[] stats, byte[] seen) {
    Profile() {
      this(new float[DailyProfile.SIZE], new byte[DailyProfile.SLOTS]);
    }

    double read(double value, double scale, long timestampMillis, long gapMillis) {
      return DailyProfile.deviation(stats, 0, seen, 0, value, scale, timestampMillis, gapMillis, new double[2]);
    }
  }

  @Test
  void aSlotRemembersTenDaysWhateverTheSamplingRate() {
    Profile hourly = new Profile();
    Profile fiveMinute = new Profile();
    long fiveMinutes = 5 * 60_000L;
    // 30 days at 0 (past the exact averages of the first readings), then 10 days at 1 in the 00:00 slot.
    for (int day = 0; day < 40; day++) {
      double value = day < 30 ? 0 : 1;
      hourly.read(value, 1, day * 24 * HOUR, 24 * HOUR);
      for (int r = 0; r < 12; r++) fiveMinute.read(value, 1, day * 24 * HOUR + r * fiveMinutes, fiveMinutes);
    }
    // One half-life of the new routine: half way from 0 to 1 at either rate.
    assertEquals(0.5, hourly.stats()[0], 1e-4);
    assertEquals(0.5, fiveMinute.stats()[0], 1e-4);
  }

  @Test
  void slotCountsSaturateWhereTheyStopMattering() {
    Profile a = new Profile();
    Profile b = new Profile();
    for (int day = 0; day < 400; day++) {
      a.read(day % 7, 10, day * 24 * HOUR, HOUR);
      if (day == 30) b.seen()[0] = 20; // once the half-life weighs alone, the count no longer matters
      b.read(day % 7, 10, day * 24 * HOUR, HOUR);
    }
    assertEquals(DailyProfile.SATURATED, Byte.toUnsignedInt(a.seen()[0]));
    assertEquals(a.stats()[0], b.stats()[0]);
    assertEquals(a.stats()[1], b.stats()[1]);
  }
}
