package io.streamlstm.streams;

import io.streamlstm.detect.Score;

/**
 * What became of one record: scored for {@code sensorId} by the model named {@code model}, or dead-lettered with a
 * reason and detail. {@code sensorReadings} is how many readings the sensor's state has accepted, this one included
 * (0 for a dead letter).
 */
public record Verdict(String sensorId, String model, Score score, long sensorReadings, String reason, String detail) {

  static Verdict scored(String sensorId, String model, Score score, long sensorReadings) {
    return new Verdict(sensorId, model, score, sensorReadings, null, null);
  }

  static Verdict deadLetter(String sensorId, String reason, String detail) {
    return new Verdict(sensorId, null, null, 0, reason, detail);
  }

  public boolean isScored() {
    return score != null;
  }
}
