package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.detect.Explanation.Reason;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DetectorConfigTest {

  @Test
  void propertiesOverrideTheirFieldsAndLeaveTheRest() {
    DetectorConfig c = DetectorConfig.fromProperties(Map.of(
        "detector.warmUpReadings", "12", "detector.anomalyThreshold", " 0.999 ",
        "detector.combination", "fisher", "detector.adaptHalfLife", "50", "detector.clockSetBackReadings", "3",
        "detector.evidencesOff", " routine, STUCK ", "kafka.other", "x"));
    DetectorConfig d = DetectorConfig.defaults();
    assertEquals(new DetectorConfig(12, 0.999, d.bandSigmas(), d.replayReadings(), d.shortHalfLife(), 50,
        d.historyHalfLife(), DetectorConfig.Combination.FISHER, 3, Set.of(Reason.ROUTINE, Reason.STUCK)), c);
    assertEquals(d, DetectorConfig.fromProperties(Map.of()));
  }

  @Test
  void unknownFieldsAndBadValuesAreNamed() {
    String unknown = assertThrows(IllegalArgumentException.class,
        () -> DetectorConfig.fromProperties(Map.of("detector.treshold", "0.9"))).getMessage();
    assertTrue(unknown.contains("detector.treshold"), unknown);
    String bad = assertThrows(IllegalArgumentException.class,
        () -> DetectorConfig.fromProperties(Map.of("detector.warmUpReadings", "many"))).getMessage();
    assertTrue(bad.contains("detector.warmUpReadings") && bad.contains("many"), bad);
    String range = assertThrows(IllegalArgumentException.class,
        () -> DetectorConfig.fromProperties(Map.of("detector.anomalyThreshold", "1.5"))).getMessage();
    assertTrue(range.contains("anomalyThreshold"), range);
    // The state's 16-bit histogram counts resolve a surprise up to this half-life.
    String history = assertThrows(IllegalArgumentException.class,
        () -> DetectorConfig.fromProperties(Map.of("detector.historyHalfLife", "10001"))).getMessage();
    assertTrue(history.contains("historyHalfLife") && history.contains("10000"), history);
    assertEquals(10_000, DetectorConfig.fromProperties(Map.of("detector.historyHalfLife", "10000")).historyHalfLife());
  }

  @Test
  void evidencesOffNameEvidencesAndLeaveOneRankedOn() {
    assertEquals(Set.of(), DetectorConfig.defaults().evidencesOff());
    assertEquals(Set.of(), DetectorConfig.fromProperties(Map.of("detector.evidencesOff", " ")).evidencesOff());
    String unknown = assertThrows(IllegalArgumentException.class,
        () -> DetectorConfig.fromProperties(Map.of("detector.evidencesOff", "ROUTINE,HUNCH"))).getMessage();
    assertTrue(unknown.contains("detector.evidencesOff") && unknown.contains("HUNCH"), unknown);
    // A reason that is not an evidence (any longer) is refused, not silently ignored.
    String notEvidence = assertThrows(IllegalArgumentException.class,
        () -> DetectorConfig.fromProperties(Map.of("detector.evidencesOff", "ERROR_RUN"))).getMessage();
    assertTrue(notEvidence.contains("evidencesOff") && notEvidence.contains("ERROR_RUN"), notEvidence);
    // With every ranked evidence off nothing would be judged.
    String allOff = assertThrows(IllegalArgumentException.class, () -> DetectorConfig.fromProperties(Map.of(
        "detector.evidencesOff", "SUDDEN_ERROR,LEVEL,ROUTINE,LASTING_DEPARTURE,MEMORY"))).getMessage();
    assertTrue(allOff.contains("leave one"), allOff);
  }
}
