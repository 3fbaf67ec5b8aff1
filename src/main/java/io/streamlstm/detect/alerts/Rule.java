package io.streamlstm.detect.alerts;

/**
 * One line of a rules file: the sensors it applies to and what it asks of their flagged readings.
 *
 * @param line its line in the file, so a mark on a score leads back to it
 * @param text the line as written, without its comment
 */
public record Rule(int line, String text, Glob sensors, Condition condition) {

  public boolean suppresses(String sensorId, long timestampMillis, Departure departure) {
    return condition.suppresses(timestampMillis, departure) && sensors.matches(sensorId);
  }

  /** What a score suppressed by this rule is marked with. */
  public String mark() {
    return "rule line " + line + ": " + text;
  }
}
