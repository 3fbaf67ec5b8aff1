package io.streamlstm.detect.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.detect.Explanation;
import io.streamlstm.detect.Score;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleSetTest {

  private static final long NOON = 1_767_268_800_000L; // 2026-01-01T12:00:00Z

  private static Departure departure(double value, double expected) {
    return new Departure(Explanation.Reason.SUDDEN_ERROR, value >= expected ? Direction.HIGH : Direction.LOW, value,
        expected);
  }

  private static Rule rule(int line, String glob, Condition condition) {
    return new Rule(line, glob + " ...", Glob.of(glob), condition);
  }

  @Test
  void aMinimumDepartureInSensorUnitsOrAsAPercentageOfTheExpectedValue() {
    final Condition absolute = new Condition.MinDeparture(2.5, false);
    assertTrue(absolute.suppresses(NOON, departure(102.4, 100)));
    assertTrue(absolute.suppresses(NOON, departure(97.6, 100)), "either direction");
    assertFalse(absolute.suppresses(NOON, departure(102.5, 100)), "2.5 itself is not smaller than 2.5");
    final Condition percent = new Condition.MinDeparture(5, true);
    assertTrue(percent.suppresses(NOON, departure(104.9, 100)));
    assertFalse(percent.suppresses(NOON, departure(105.1, 100)));
    assertTrue(percent.suppresses(NOON, departure(-104.9, -100)), "of the expected value's size, whatever its sign");
    assertFalse(percent.suppresses(NOON, departure(0.001, 0)), "nothing is smaller than 5 % of zero");
  }

  @Test
  void onlyOneDirectionAlerts() {
    final Condition onlyHigh = new Condition.OnlyDirection(Direction.HIGH);
    assertFalse(onlyHigh.suppresses(NOON, departure(110, 100)));
    assertTrue(onlyHigh.suppresses(NOON, departure(90, 100)));
    final Condition onlyLow = new Condition.OnlyDirection(Direction.LOW);
    assertTrue(onlyLow.suppresses(NOON, departure(110, 100)));
    assertFalse(onlyLow.suppresses(NOON, departure(90, 100)));
  }

  @Test
  void aMaintenanceWindowIsJudgedByTheReadingsOwnTimeFromItsStartToBeforeItsEnd() {
    final Condition window = new Condition.Maintenance(NOON, NOON + 3_600_000L);
    assertFalse(window.suppresses(NOON - 1, departure(500, 100)));
    assertTrue(window.suppresses(NOON, departure(500, 100)));
    assertTrue(window.suppresses(NOON + 3_599_999L, departure(500, 100)));
    assertFalse(window.suppresses(NOON + 3_600_000L, departure(500, 100)));
  }

  @Test
  void globsMatchTheWholeSensorIdWithStarAndQuestionMarkAndNothingElseSpecial() {
    assertTrue(Glob.of("pump-*").matches("pump-7"));
    assertTrue(Glob.of("pump-*").matches("pump-"));
    assertFalse(Glob.of("pump-*").matches("old-pump-7"));
    assertTrue(Glob.of("pump-?").matches("pump-7"));
    assertFalse(Glob.of("pump-?").matches("pump-17"));
    assertTrue(Glob.of("*").matches("anything at all\nand more"));
    assertTrue(Glob.of("plant.a[1]+").matches("plant.a[1]+"), "regex characters are themselves");
    assertFalse(Glob.of("plant.a").matches("plantXa"));
  }

  @Test
  void theFirstRuleInFileOrderThatAppliesIsTheOneAReadingIsMarkedBy() {
    final Rule tanks = rule(1, "tank-*", new Condition.OnlyDirection(Direction.HIGH));
    final Rule small = rule(2, "*", new Condition.MinDeparture(5, false));
    final Rule lowPumps = rule(3, "pump-*", new Condition.OnlyDirection(Direction.HIGH));
    final RuleSet rules = new RuleSet(List.of(tanks, small, lowPumps));
    assertSame(small, rules.suppressing("pump-7", NOON, departure(97, 100)), "line 2 comes before line 3");
    assertSame(lowPumps, rules.suppressing("pump-7", NOON, departure(90, 100)));
    assertNull(rules.suppressing("pump-7", NOON, departure(110, 100)), "no rule holds a large high departure back");
    assertNull(rules.suppressing("valve-1", NOON, departure(90, 100)));
    assertNull(RuleSet.NONE.suppressing("pump-7", NOON, departure(100.1, 100)));
    assertEquals("rule line 3: pump-* ...", lowPumps.mark());
  }

  @Test
  void aDepartureIsTheDecidingChannelsValueAgainstTheReferenceThatRaisedIt() {
    final String[] channels = {"pressure", "temp"};
    final Explanation why = new Explanation(Explanation.Reason.ERROR_RUN, "temp", 4.2, 70, 68, 72);
    final Score score = new Score(NOON, channels, new double[] {3, 66.5}, new double[] {3, 71}, new double[] {2, 69},
        new double[] {4, 73}, new double[] {0, -4.5}, new double[] {0.1, 0.9}, 0.999, 3, true, false, "m", why);
    final Departure departure = Departure.of(score);
    assertEquals(Direction.LOW, departure.direction());
    assertEquals(3.5, departure.size(), 1e-12, "66.5 against the reference's 70, not the network's 71");
    assertEquals(Explanation.Reason.ERROR_RUN, departure.reason());
  }
}
