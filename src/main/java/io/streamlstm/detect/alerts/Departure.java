package io.streamlstm.detect.alerts;

import io.streamlstm.detect.Explanation;
import io.streamlstm.detect.Score;

/**
 * How a flagged reading departs from the reference that raised it: on the deciding channel, the value against the
 * reference's expected value ({@link Explanation#expected()}), in the sensor's own units. Rules and feedback judge
 * departures by their size in those units rather than in the evidence's spreads: a sensor's recurring dip is about
 * the same size each time, while the spread of the forecast it is measured in changes with the sensor's recent
 * noise (measured on simulated dips: sizes within 13 % of each other, deviations within 53 %).
 */
public record Departure(Explanation.Reason reason, Direction direction, double value, double expected) {

  public static Departure of(Score score) {
    final Explanation why = score.explanation();
    final double value = score.values()[channel(score.channels(), why.channel())];
    return new Departure(why.reason(), value >= why.expected() ? Direction.HIGH : Direction.LOW, value, why.expected());
  }

  /** How far the value is from the reference's expected value, in the sensor's units. */
  public double size() {
    return Math.abs(value - expected);
  }

  private static int channel(String[] channels, String name) {
    for (int c = 0; c < channels.length; c++) {
      if (channels[c].equals(name)) return c;
    }
    return 0;
  }
}
