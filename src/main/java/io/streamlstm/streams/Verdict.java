package io.streamlstm.streams;

import io.streamlstm.detect.Score;

/** What became of one record: scored for {@code sensorId}, or dead-lettered with a reason and detail. */
public record Verdict(String sensorId, Score score, String reason, String detail) {

  static Verdict scored(String sensorId, Score score) {
    return new Verdict(sensorId, score, null, null);
  }

  static Verdict deadLetter(String sensorId, String reason, String detail) {
    return new Verdict(sensorId, null, reason, detail);
  }

  public boolean isScored() {
    return score != null;
  }
}
