package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoutineTest {

  private static final long MINUTE = 60_000L;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;
  private static final double K = DetectorConfig.defaults().bandSigmas();

  private static EvidenceTesting routine() {
    return new EvidenceTesting(new Routine(K));
  }

  /** A daily sine of amplitude 10 with noise 0.1, read every five minutes for {@code days} days. */
  private static void sineDays(EvidenceTesting routine, int days, SplittableRandom noise) {
    for (long t = 0; t < days * DAY; t += 5 * MINUTE) routine.next(0, sine(t) + 0.1 * TestSeries.gaussian(noise), t, 5 * MINUTE);
  }

  private static double sine(long t) {
    return 10 * Math.sin(2 * Math.PI * t / DAY);
  }

  /** What the routine expects at {@code t}, judging (not learning from) a reading there on a copy of its state. */
  private static double expectedAt(EvidenceTesting routine, long t) {
    EvidenceTesting probe = routine();
    System.arraycopy(routine.stats, 0, probe.stats, 0, routine.stats.length);
    probe.next(0, 0, t, MINUTE);
    return probe.found.referenceMean;
  }

  @Test
  void aSmoothRoutineHasNoStepAtTheFullHour() {
    EvidenceTesting routine = routine();
    sineDays(routine, 20, new SplittableRandom(1));
    long day = 20 * DAY;
    for (int hour = 1; hour < 24; hour++) {
      long fullHour = day + hour * HOUR;
      double before = expectedAt(routine, fullHour - 1);
      double after = expectedAt(routine, fullHour);
      double withinTheHour = Math.abs(sine(fullHour) - sine(fullHour - HOUR));
      // The sine moves by up to 2.6 in an hour; an hour's mean would step by as much at its edge.
      assertEquals(sine(fullHour), after, 0.1, "at " + hour + ":00");
      assertTrue(Math.abs(after - before) < 0.05 + 0.05 * withinTheHour, hour + ":00 steps from " + before + " to " + after);
    }
    // Readings as usual, at any minute, lie well within the routine's band.
    SplittableRandom noise = new SplittableRandom(2);
    for (long t = day; t < day + DAY; t += 7 * MINUTE) {
      routine.next(0, sine(t) + 0.1 * TestSeries.gaussian(noise), t, 7 * MINUTE);
      assertTrue(Math.abs(routine.found.deviation) < K, "at minute " + (t - day) / MINUTE + ": " + routine.found.deviation);
    }
  }

  @Test
  void aRoutineThatStepsAtTheFullHourKeepsItsStep() {
    EvidenceTesting routine = routine();
    for (long t = 0; t < 15 * DAY; t += 5 * MINUTE) {
      routine.next(0, Math.floorMod(t, DAY) >= 9 * HOUR ? 10 : 0, t, 5 * MINUTE);
    }
    assertEquals(0, expectedAt(routine, 15 * DAY + 9 * HOUR - 5 * MINUTE), 1e-3, "08:55");
    assertEquals(10, expectedAt(routine, 15 * DAY + 9 * HOUR), 1e-3, "09:00");
  }

  @Test
  void aSlotAbstainsUntilItHasSeenThreeReadings() {
    EvidenceTesting routine = routine();
    for (int r = 0; r < Routine.SETTLE; r++) {
      assertTrue(Double.isNaN(routine.next(0, r, r * 10 * MINUTE, 10 * MINUTE)), "reading " + r + " of the hour");
    }
    assertFalse(Double.isNaN(routine.next(0, 1, 45 * MINUTE, 15 * MINUTE)));
    assertTrue(Double.isNaN(routine.next(0, 1, HOUR, 15 * MINUTE)), "the next hour's first reading");
  }

  @Test
  void theTimeOfDayNeverFlagsAReadingWithinItsUsualRange() {
    EvidenceTesting routine = routine();
    sineDays(routine, 20, new SplittableRandom(3));
    long t = 20 * DAY + 6 * HOUR;
    double spread = 0.1;
    double surprise = routine.next(0, sine(t) + 2 * spread, t, 5 * MINUTE);
    assertTrue(Math.abs(routine.found.deviation) < K && surprise > 0);
    assertFalse(routine.found.mayDecide, "within the routine's band: counted, but never the routine's to flag");
    routine.next(2 * K, sine(t) + 2 * spread, t + 5 * MINUTE, 5 * MINUTE);
    assertFalse(routine.found.mayDecide, "whatever the forecast's error: that is the forecast's evidence");
    routine.next(0, sine(t) + 10, t + 10 * MINUTE, 5 * MINUTE);
    assertTrue(routine.found.mayDecide && routine.found.deviation > K, "outside its usual range, the routine may decide");
  }

  @Test
  void readingsAtOneMinuteOfTheHourMakeAFlatLine() {
    EvidenceTesting routine = routine();
    for (int day = 0; day < 5; day++) {
      for (int hour = 0; hour < 24; hour++) routine.next(0, hour + day % 2, day * DAY + hour * HOUR + 17 * MINUTE, HOUR);
    }
    assertEquals(expectedAt(routine, 5 * DAY + 3 * HOUR), expectedAt(routine, 5 * DAY + 4 * HOUR - 1));
  }

  @Test
  void aSlotRemembersTenDaysWhateverTheSamplingRate() {
    EvidenceTesting hourly = routine();
    EvidenceTesting fiveMinute = routine();
    // 30 days at 0 (past the exact averages of the first readings), then 10 days at 1 in the 00:00 slot.
    for (int day = 0; day < 40; day++) {
      double value = day < 30 ? 0 : 1;
      hourly.next(0, value, day * DAY, DAY);
      for (int r = 0; r < 12; r++) fiveMinute.next(0, value, day * DAY + r * 5 * MINUTE, 5 * MINUTE);
    }
    // One half-life of the new routine: half way from 0 to 1 at either rate.
    assertEquals(0.5, hourly.stats[Routine.MEAN], 1e-4);
    assertEquals(0.5, fiveMinute.stats[Routine.MEAN], 1e-4);
  }

  @Test
  void slotCountsSaturateWhereTheyStopMattering() {
    EvidenceTesting a = routine();
    EvidenceTesting b = routine();
    for (int day = 0; day < 400; day++) {
      a.next(0, day % 7, day * DAY, HOUR);
      if (day == 30) b.stats[Routine.COUNT] = 20; // once the half-life weighs alone, the count no longer matters
      b.next(0, day % 7, day * DAY, HOUR);
    }
    assertEquals(Routine.SATURATED, a.stats[Routine.COUNT]);
    assertEquals(a.stats[Routine.MEAN], b.stats[Routine.MEAN]);
    assertEquals(a.stats[Routine.RESIDUAL_VARIANCE], b.stats[Routine.RESIDUAL_VARIANCE]);
  }
}
