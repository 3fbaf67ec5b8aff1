package io.streamlstm.detect.alerts;

import java.util.List;

/** The rules in effect, in the order of their file: the first that suppresses a reading is the one it is marked by. */
public record RuleSet(List<Rule> rules) {

  public static final RuleSet NONE = new RuleSet(List.of());

  public RuleSet {
    rules = List.copyOf(rules);
  }

  /** The first rule that keeps this flagged reading of {@code sensorId} from alerting, or null when none does. */
  public Rule suppressing(String sensorId, long timestampMillis, Departure departure) {
    for (Rule rule : rules) {
      if (rule.suppresses(sensorId, timestampMillis, departure)) return rule;
    }
    return null;
  }

  public int size() {
    return rules.size();
  }
}
