package io.streamlstm.detect.alerts;

/** What a rule asks of a flagged reading before it may alert. */
public sealed interface Condition {

  /** True when the reading at {@code timestampMillis}, departing as {@code departure}, should raise no alert. */
  boolean suppresses(long timestampMillis, Departure departure);

  /** The kind of rule, as metrics name it: {@code min_departure}, {@code direction} or {@code maintenance}. */
  String kind();

  /**
   * Departures smaller than {@code amount} in the sensor's units, or with {@code percent}, smaller than
   * {@code amount} % of the expected value, raise no alert.
   */
  record MinDeparture(double amount, boolean percent) implements Condition {
    @Override
    public boolean suppresses(long timestampMillis, Departure departure) {
      final double least = percent ? amount / 100 * Math.abs(departure.expected()) : amount;
      return departure.size() < least;
    }

    @Override
    public String kind() {
      return "min_departure";
    }
  }

  /** Only departures in direction {@code alerted} raise an alert. */
  record OnlyDirection(Direction alerted) implements Condition {
    @Override
    public boolean suppresses(long timestampMillis, Departure departure) {
      return departure.direction() != alerted;
    }

    @Override
    public String kind() {
      return "direction";
    }
  }

  /**
   * A maintenance window: readings stamped from {@code fromMillis} (inclusive) to {@code toMillis} (exclusive) raise
   * no alert. Judged by the reading's own time, so a replay of the readings is muted alike.
   */
  record Maintenance(long fromMillis, long toMillis) implements Condition {
    @Override
    public boolean suppresses(long timestampMillis, Departure departure) {
      return timestampMillis >= fromMillis && timestampMillis < toMillis;
    }

    @Override
    public String kind() {
      return "maintenance";
    }
  }
}
