package io.streamlstm.detect;

/** The result of offering one reading to the detector: a score, or the reason it was refused. */
public record Outcome(Score score, Rejection rejection) {

  public static Outcome scored(Score score) {
    return new Outcome(score, null);
  }

  public static Outcome rejected(Rejection.Reason reason, String detail) {
    return new Outcome(null, new Rejection(reason, detail));
  }

  public boolean accepted() {
    return score != null;
  }
}
