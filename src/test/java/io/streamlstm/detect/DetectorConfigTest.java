package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DetectorConfigTest {

  @Test
  void propertiesOverrideTheirFieldsAndLeaveTheRest() {
    DetectorConfig c = DetectorConfig.fromProperties(Map.of(
        "detector.warmUpReadings", "12", "detector.anomalyThreshold", " 0.999 ",
        "detector.combination", "fisher", "detector.adaptHalfLife", "50", "detector.clockSetBackReadings", "3",
        "kafka.other", "x"));
    DetectorConfig d = DetectorConfig.defaults();
    assertEquals(new DetectorConfig(12, 0.999, d.bandSigmas(), d.replayReadings(), d.shortHalfLife(), 50,
        d.historyHalfLife(), DetectorConfig.Combination.FISHER, 3), c);
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
}
