package io.streamlstm.streams;

import io.streamlstm.detect.alerts.Condition;
import io.streamlstm.detect.alerts.Direction;
import io.streamlstm.detect.alerts.Glob;
import io.streamlstm.detect.alerts.Rule;
import io.streamlstm.detect.alerts.RuleSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a rules file: one rule a line, a sensor-id glob then the rule, {@code #} to the end of the line a comment.
 *
 * <pre>
 * pump-*      min-departure 2.5     # departures under 2.5 (sensor units) from the expected value raise no alert
 * tank-*      min-departure 5%      # ... under 5 % of the expected value
 * boiler-*    only high             # only departures above the expected value alert
 * boiler-3    maintenance 2026-03-01T08:00:00Z 2026-03-01T12:00:00Z   # readings stamped in [start, end) do not
 * </pre>
 *
 * A file with any bad line is refused as a whole, naming every bad line, so a typo never half-applies.
 */
public final class RulesParser {

  private static final String KNOWN = "min-departure, only, maintenance";

  private RulesParser() {}

  /** @throws IllegalArgumentException listing each bad line as "line N: what is wrong", separated by "; " */
  public static RuleSet parse(String text) {
    final List<Rule> rules = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    final String[] lines = text.split("\r?\n|\r", -1);
    for (int n = 0; n < lines.length; n++) {
      final String line = withoutComment(lines[n]).strip();
      if (line.isEmpty()) continue;
      try {
        rules.add(rule(n + 1, line));
      } catch (IllegalArgumentException e) {
        problems.add("line " + (n + 1) + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    return new RuleSet(rules);
  }

  private static Rule rule(int line, String text) {
    final String[] words = text.split("\\s+");
    if (words.length < 2) throw new IllegalArgumentException("'" + words[0] + "' needs a rule after it (" + KNOWN + ")");
    final List<String> args = Arrays.asList(words).subList(2, words.length);
    final Condition condition = switch (words[1]) {
      case "min-departure" -> minDeparture(args);
      case "only" -> onlyDirection(args);
      case "maintenance" -> maintenance(args);
      default -> throw new IllegalArgumentException("unknown rule '" + words[1] + "' (known: " + KNOWN + ")");
    };
    return new Rule(line, String.join(" ", words), Glob.of(words[0]), condition);
  }

  private static Condition minDeparture(List<String> args) {
    if (args.size() != 1) throw new IllegalArgumentException("min-departure takes one amount, e.g. 2.5 or 5%");
    final String arg = args.get(0);
    final boolean percent = arg.endsWith("%");
    final double amount;
    try {
      amount = Double.parseDouble(percent ? arg.substring(0, arg.length() - 1) : arg);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("min-departure amount '" + arg + "' is not a number");
    }
    if (!(amount > 0) || Double.isInfinite(amount)) {
      throw new IllegalArgumentException("min-departure amount '" + arg + "' is not a positive number");
    }
    return new Condition.MinDeparture(amount, percent);
  }

  private static Condition onlyDirection(List<String> args) {
    if (args.size() == 1) {
      for (Direction direction : Direction.values()) {
        if (direction.wireName().equals(args.get(0))) return new Condition.OnlyDirection(direction);
      }
    }
    throw new IllegalArgumentException("only takes 'high' or 'low'");
  }

  private static Condition maintenance(List<String> args) {
    if (args.size() != 2) throw new IllegalArgumentException("maintenance takes a start and an end time (ISO-8601 or epoch ms)");
    final long from = Timestamps.parse(args.get(0));
    final long to = Timestamps.parse(args.get(1));
    if (to <= from) throw new IllegalArgumentException("maintenance ends at or before it starts");
    return new Condition.Maintenance(from, to);
  }

  /** The line up to a {@code #} that starts a word; a {@code #} inside a sensor id is kept. */
  private static String withoutComment(String line) {
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) return line.substring(0, i);
    }
    return line;
  }
}
