package io.streamlstm.detect;

/**
 * The result of offering one reading to the detector: a score, or the reason it was refused. A refused
 * reading leaves the state untouched, except that a reading earlier than the sensor's last one counts
 * toward a clock set back ({@link DetectorConfig#clockSetBackReadings()}): then {@code stateChanged}, and the
 * state must be kept.
 */
public record Outcome(Score score, Rejection rejection, boolean stateChanged) {

  public static Outcome scored(Score score) {
    return new Outcome(score, null, true);
  }

  public static Outcome rejected(Rejection.Reason reason, String detail) {
    return new Outcome(null, new Rejection(reason, detail), false);
  }

  /** Refused, and counted in the state (a reading toward a clock set back). */
  static Outcome rejectedCounting(Rejection.Reason reason, String detail) {
    return new Outcome(null, new Rejection(reason, detail), true);
  }

  public boolean accepted() {
    return score != null;
  }
}
