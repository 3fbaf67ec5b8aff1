package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StuckTest {

  private static final int WARM_UP = 100;
  /** The defaults' alarm line for the least tail of six tests. */
  private static final double ALARM_TAIL = (1 - 0.998) / 6;
  private static final double FLOOR = 0.9 * ALARM_TAIL;

  private final Stuck stuck = new Stuck(2000, WARM_UP, ALARM_TAIL);
  private final float[] stats = new float[Stuck.SIZE];
  private final Observation now = new Observation();
  private final Finding found = new Finding();
  private final SplittableRandom random = new SplittableRandom(7);

  /** The tail of the next reading's run, NaN when it makes no test. */
  private double next(double value) {
    now.n++;
    now.value = value;
    return stuck.tail(now, stats, 0, found);
  }

  private void varied(int readings) {
    for (int t = 0; t < readings; t++) assertTrue(Double.isNaN(next(TestSeries.gaussian(random))), "no run, no test");
  }

  @Test
  void aSensorThatNeverRepeatsIsCalledStuckSoonAfterItsFreeRepeats() {
    varied(500);
    double frozen = 0.25;
    for (int repeats = 0; repeats <= Stuck.FREE_REPEATS; repeats++) {
      assertTrue(Double.isNaN(next(frozen)), repeats + " repeats are free");
    }
    double first = next(frozen);
    assertTrue(first > ALARM_TAIL && first < 0.01, "one past the free repeats, as rare as its repeats: " + first);
    assertEquals(FLOOR, next(frozen), 0, "two past them, floored just under the alarm line");
    assertEquals(Stuck.FREE_REPEATS + 2, found.deviation, "the deviation counts the repeats");
    assertEquals(FLOOR, next(frozen), 0, "and stays there while the run goes on");
  }

  @Test
  void noRunIsJudgedWhileTheSensorsRepeatsAreStillBeingLearned() {
    for (int t = 0; t < WARM_UP / 2; t++) next(TestSeries.gaussian(random));
    for (int t = 0; t < WARM_UP / 2 - 1; t++) assertTrue(Double.isNaN(next(0.25)), "run in the warm-up, reading " + t);
  }

  @Test
  void aRunNoLongerThanTheSensorsLongestIsNotNews() {
    varied(300);
    for (int t = 0; t <= 10; t++) next(0.25);
    varied(20);
    for (int repeats = 0; repeats < 10; repeats++) assertTrue(Double.isNaN(next(-0.25)), "run of " + repeats);
    double asLong = next(-0.25);
    assertTrue(asLong > ALARM_TAIL, "as long as the longest run, a little forgotten: " + asLong);
    next(-0.25);
    next(-0.25);
    assertEquals(FLOOR, next(-0.25), 0, "three past it");
  }

  @Test
  void theLongestRunIsForgottenWithTheHistorysHalfLife() {
    varied(300);
    for (int t = 0; t <= 30; t++) next(0.25);
    varied(4000);
    // Two half-lives on, the run of 30 counts as one of 7.5.
    for (int repeats = 0; repeats <= 7; repeats++) assertTrue(Double.isNaN(next(-0.25)), "run of " + repeats);
    for (int repeats = 8; repeats < 12; repeats++) next(-0.25);
    assertEquals(FLOOR, next(-0.25), 0, "a run of 12");
  }

  @Test
  void aSensorThatOftenRepeatsNeedsAFarLongerRunToBeCalledStuck() {
    // A quantised reading that stays put about half the time, on five levels: runs of 10 come by chance.
    int level = 2;
    for (int t = 0; t < 3000; t++) {
      if (random.nextBoolean()) level = Math.max(0, Math.min(4, level + (random.nextBoolean() ? 1 : -1)));
      next(level);
    }
    next(level == 1 ? 3 : 1); // ends the last run
    int readings = 0;
    double first = Double.NaN;
    while (Double.isNaN(first)) {
      first = next(2);
      readings++;
    }
    assertTrue(readings > 8, "no test before the run outlasts the sensor's long runs: tested at " + readings);
    assertTrue(first > 0.3 && first < 1, "just past its longest run, as likely as a repeat: " + first);
    for (int past = 1; past < 8; past++) assertTrue(next(2) > ALARM_TAIL, past + " past the longest");
  }

  @Test
  void aValuePinnedAtTheEndOfItsRangeIsNotStuck() {
    // A CPU's load, at 100 % for a while: the quantity at its limit, not a frozen sensor.
    for (int t = 0; t < 500; t++) next(Math.min(100, 60 + 30 * TestSeries.gaussian(random)));
    for (int t = 0; t < 200; t++) assertTrue(Double.isNaN(next(100)), "pinned at the top, reading " + t);
  }

  @Test
  void readingsTooCloseForAFloatAreStillTwoValues() {
    // 20 from the origin, half a millionth apart: the same float, different readings.
    assertEquals((float) 20.0, (float) 20.0000005);
    next(0);
    next(40);
    varied(200);
    for (int t = 0; t < 200; t++) assertTrue(Double.isNaN(next(t % 2 == 0 ? 20.0 : 20.0000005)), "reading " + t);
  }
}
