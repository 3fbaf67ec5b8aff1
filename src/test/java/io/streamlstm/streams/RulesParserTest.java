package io.streamlstm.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.detect.alerts.Condition;
import io.streamlstm.detect.alerts.Direction;
import io.streamlstm.detect.alerts.Rule;
import io.streamlstm.detect.alerts.RuleSet;
import org.junit.jupiter.api.Test;

class RulesParserTest {

  @Test
  void everyKindOfRuleWithCommentsAndBlankLines() {
    final RuleSet rules = RulesParser.parse("""
        # rules for plant 3
        pump-*      min-departure 2.5     # small wobbles
        tank-*\tmin-departure 5%

        boiler-*    only high
        line#4      only low              # a '#' inside an id is part of it
        boiler-3    maintenance 2026-03-01T08:00:00Z 2026-03-01T12:00:00Z
        """);
    assertEquals(5, rules.size());
    final Rule first = rules.rules().get(0);
    assertEquals(2, first.line());
    assertEquals("pump-* min-departure 2.5", first.text());
    assertEquals(new Condition.MinDeparture(2.5, false), first.condition());
    assertEquals(new Condition.MinDeparture(5, true), rules.rules().get(1).condition());
    assertEquals(new Condition.OnlyDirection(Direction.HIGH), rules.rules().get(2).condition());
    assertTrue(rules.rules().get(3).sensors().matches("line#4"));
    assertEquals(new Condition.OnlyDirection(Direction.LOW), rules.rules().get(3).condition());
    final Rule maintenance = rules.rules().get(4);
    assertEquals(7, maintenance.line());
    assertEquals(new Condition.Maintenance(Timestamps.parse("2026-03-01T08:00:00Z"),
        Timestamps.parse("2026-03-01T12:00:00Z")), maintenance.condition());
    assertEquals(0, RulesParser.parse("# nothing yet\n\n").size());
  }

  @Test
  void aBadFileIsRefusedWholeNamingEveryBadLine() {
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RulesParser.parse("""
        pump-* min-departure 2.5
        pump-* min-departure
        pump-* min-departure -1
        tank-* only sideways
        tank-* mute
        tank-*
        boiler-3 maintenance 2026-03-01T12:00:00Z 2026-03-01T08:00:00Z
        boiler-4 maintenance yesterday today
        boiler-5 min-departure 2 3
        """));
    assertEquals("line 2: min-departure takes one amount, e.g. 2.5 or 5%; "
        + "line 3: min-departure amount '-1' is not a positive number; "
        + "line 4: only takes 'high' or 'low'; "
        + "line 5: unknown rule 'mute' (known: min-departure, only, maintenance); "
        + "line 6: 'tank-*' needs a rule after it (min-departure, only, maintenance); "
        + "line 7: maintenance ends at or before it starts; "
        + "line 8: not a timestamp (ISO-8601 or epoch milliseconds): 'yesterday'; "
        + "line 9: min-departure takes one amount, e.g. 2.5 or 5%", e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), "one line, as the command line shows it");
  }

  @Test
  void windowsLineEndingsAndEpochMillisecondTimes() {
    final RuleSet rules = RulesParser.parse("a maintenance 1000 2000\r\nb only low\r\n");
    assertInstanceOf(Condition.Maintenance.class, rules.rules().get(0).condition());
    assertEquals(new Condition.Maintenance(1000, 2000), rules.rules().get(0).condition());
    assertEquals(2, rules.rules().get(1).line());
  }
}
