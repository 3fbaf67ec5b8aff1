package io.streamlstm.detect.alerts;

import io.streamlstm.detect.Explanation;

/**
 * What a flagged reading departed from: the reasons that judge it against the same reference are one kind of
 * departure. Which of two such reasons decides a reading is a close call (a three-reading dip is as often decided by
 * its one large error as by the run of them), so feedback learns and judges kinds, not reasons.
 */
public enum Reference {
  /**
   * The network's forecast: {@link Explanation.Reason#SUDDEN_ERROR}, {@link Explanation.Reason#MEMORY} (whose
   * reference is the forecast's band) and the earlier builds' {@link Explanation.Reason#ERROR_RUN}.
   */
  FORECAST("the forecast"),
  /** The sensor's history: {@link Explanation.Reason#LEVEL} and {@link Explanation.Reason#LASTING_DEPARTURE}. */
  HISTORY("the history"),
  /** Its usual value at this time of day: {@link Explanation.Reason#ROUTINE}. */
  ROUTINE("the routine"),
  /**
   * Its usual repeats: {@link Explanation.Reason#STUCK}, a value held longer than the sensor lately held one. The
   * departure's size is the held value's distance from the forecast.
   */
  REPEATS("its usual repeats"),
  /** Nothing unusual: {@link Explanation.Reason#NONE}. */
  NONE("nothing");

  private final String description;

  Reference(String description) {
    this.description = description;
  }

  public static Reference of(Explanation.Reason reason) {
    return switch (reason) {
      case SUDDEN_ERROR, ERROR_RUN, MEMORY -> FORECAST;
      case LEVEL, LASTING_DEPARTURE -> HISTORY;
      case ROUTINE -> ROUTINE;
      case STUCK -> REPEATS;
      case NONE -> NONE;
    };
  }

  /** As a score's mark says it: "a low departure from the forecast". */
  public String description() {
    return description;
  }
}
