package io.streamlstm.app.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.detect.Detector;
import io.streamlstm.detect.DetectorConfig;
import io.streamlstm.detect.Reading;
import io.streamlstm.detect.SensorState;
import io.streamlstm.detect.simulation.SimulatedReading;
import io.streamlstm.detect.simulation.Simulation;
import io.streamlstm.lstm.Models;
import io.streamlstm.streams.ScoreJson;
import io.streamlstm.streams.StreamSettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoreAuditTest {

  private static final int SENSORS = 3;
  private static final int READINGS = 300;

  /** A sensor's id and the score JSON the undisturbed run writes for one reading. */
  private record Scored(String sensorId, byte[] json) {}

  @Test
  void theUndisturbedScoresInOrderAreClean() {
    ScoreAudit audit = auditOfSentReadings();
    undisturbed().forEach(s -> audit.score(s.sensorId(), s.json()));

    ScoreAudit.Result result = audit.result();

    assertEquals(new ScoreAudit.Result(READINGS, READINGS, 0, 0, 0, 0), result);
    assertTrue(result.clean());
  }

  @Test
  void aMissingScoreIsLostAndARepeatedOneDuplicated() {
    ScoreAudit audit = auditOfSentReadings();
    List<Scored> scores = undisturbed();
    for (int n = 0; n < scores.size(); n++) {
      if (n == 100) continue; // lost in the middle of its sensor's run
      if (n == scores.size() - 1) continue; // lost at the end
      audit.score(scores.get(n).sensorId(), scores.get(n).json());
      if (n == 200) audit.score(scores.get(n).sensorId(), scores.get(n).json());
    }

    ScoreAudit.Result result = audit.result();

    assertEquals(2, result.lost());
    assertEquals(1, result.duplicated());
    assertEquals(0, result.unequal());
    assertFalse(result.clean());
  }

  @Test
  void aScoreOffByOneDigitIsUnequalAndOneForNoReadingIsUnknown() {
    ScoreAudit audit = auditOfSentReadings();
    List<Scored> scores = undisturbed();
    for (int n = 0; n < scores.size(); n++) {
      String json = new String(scores.get(n).json(), StandardCharsets.UTF_8);
      if (n == 150) json = json.replaceFirst("\"likelihood\":(\\d)", "\"likelihood\":$1" + "1");
      audit.score(scores.get(n).sensorId(), json.getBytes(StandardCharsets.UTF_8));
    }
    audit.score("sensor-unsent", scores.get(0).json());

    ScoreAudit.Result result = audit.result();

    assertEquals(1, result.unequal());
    assertEquals(1, result.unknown());
    assertEquals(0, result.lost());
    assertEquals(0, result.duplicated());
  }

  private static ScoreAudit auditOfSentReadings() {
    ScoreAudit audit = new ScoreAudit();
    Simulation simulation = new Simulation(SENSORS, 5);
    for (int n = 0; n < READINGS; n++) audit.sent(simulation.next());
    return audit;
  }

  /** The same readings through the offline detector, in sending order: each sensor's scores in its order. */
  private static List<Scored> undisturbed() {
    Detector detector = new Detector(Models.loadDefault(), DetectorConfig.defaults());
    Map<String, SensorState> states = new HashMap<>();
    Simulation simulation = new Simulation(SENSORS, 5);
    List<Scored> out = new ArrayList<>();
    for (int n = 0; n < READINGS; n++) {
      SimulatedReading r = simulation.next();
      SensorState state = states.computeIfAbsent(r.sensorId(), id -> detector.newState());
      out.add(new Scored(r.sensorId(),
          ScoreJson.write(r.sensorId(), StreamSettings.DEFAULT_MODEL_NAME,
              detector.process(state, Reading.single(r.timestampMillis(), r.value())).score())));
    }
    return out;
  }
}
