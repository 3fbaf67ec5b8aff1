package io.streamlstm.detect.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationTest {

  private static List<SimulatedReading> take(Simulation simulation, int n) {
    List<SimulatedReading> out = new ArrayList<>();
    for (int k = 0; k < n; k++) out.add(simulation.next());
    return out;
  }

  @Test
  void theSameSeedGivesTheSameReadingsAndTruth() {
    Simulation a = new Simulation(5, 42);
    Simulation b = new Simulation(5, 42);
    assertEquals(take(a, 20_000), take(b, 20_000));
    assertEquals(a.groundTruth(), b.groundTruth());
    assertNotEquals(take(new Simulation(5, 43), 100), take(new Simulation(5, 42), 100));
  }

  @Test
  void sensorsTakeTurnsAtTheSameInstants() {
    List<SimulatedReading> readings = take(new Simulation(3, 1), 6);
    assertEquals(List.of("sensor-0", "sensor-1", "sensor-2", "sensor-0", "sensor-1", "sensor-2"),
        readings.stream().map(SimulatedReading::sensorId).toList());
    assertEquals(Simulation.DEFAULT_START, readings.get(2).timestampMillis());
    assertEquals(Simulation.DEFAULT_START + Simulation.DEFAULT_STEP_MILLIS, readings.get(3).timestampMillis());
  }

  @Test
  void groundTruthCoversExactlyTheAnomalousReadings() {
    // A fault every one to three days a sensor: ten sensors over 3.5 days show every kind.
    Simulation simulation = new Simulation(10, 7);
    List<SimulatedReading> readings = take(simulation, 10 * 5000);
    List<Anomaly> truth = simulation.groundTruth();

    assertFalse(truth.isEmpty());
    for (SimulatedReading r : readings) {
      boolean inTruth = truth.stream().anyMatch(a -> a.sensorId().equals(r.sensorId())
          && a.startMillis() <= r.timestampMillis() && r.timestampMillis() <= a.endMillis());
      assertEquals(r.anomalous(), inTruth, () -> "reading " + r);
    }
    Set<AnomalyKind> kinds = truth.stream().map(Anomaly::kind).collect(Collectors.toSet());
    assertEquals(EnumSet.allOf(AnomalyKind.class), kinds);
  }

  @Test
  void readingsAreFiniteAndFaultsStandOutFromNormalReadings() {
    Simulation simulation = new Simulation(1, 3);
    List<SimulatedReading> readings = take(simulation, 20_000);
    assertTrue(readings.stream().allMatch(r -> Double.isFinite(r.value())));
    for (Anomaly a : simulation.groundTruth()) {
      if (a.kind() != AnomalyKind.SPIKE) continue;
      int at = (int) ((a.startMillis() - Simulation.DEFAULT_START) / Simulation.DEFAULT_STEP_MILLIS);
      double jump = Math.abs(readings.get(at).value() - readings.get(at - 1).value());
      double usual = Math.abs(readings.get(at - 1).value() - readings.get(at - 2).value());
      assertTrue(jump > 3 * usual, () -> "spike at " + at + " jumps " + jump + ", usual step " + usual);
    }
    for (Anomaly a : simulation.groundTruth()) {
      if (a.kind() != AnomalyKind.STUCK) continue;
      int from = (int) ((a.startMillis() - Simulation.DEFAULT_START) / Simulation.DEFAULT_STEP_MILLIS);
      int to = (int) ((a.endMillis() - Simulation.DEFAULT_START) / Simulation.DEFAULT_STEP_MILLIS);
      for (int t = from; t <= to; t++) assertEquals(readings.get(from - 1).value(), readings.get(t).value());
    }
  }

  @Test
  void truthIsClippedToTheReadingsTakenAndWrittenAsCsv(@TempDir Path dir) throws Exception {
    Simulation simulation = new Simulation(2, 11);
    take(simulation, 2 * 2000);
    long last = Simulation.DEFAULT_START + 1999 * Simulation.DEFAULT_STEP_MILLIS;
    assertTrue(simulation.groundTruth().stream().allMatch(a -> a.endMillis() <= last));

    Path file = dir.resolve("truth.csv");
    simulation.writeGroundTruth(file);
    List<String> lines = Files.readAllLines(file);
    assertEquals("sensorId,start,end,kind", lines.get(0));
    assertEquals(simulation.groundTruth().size() + 1, lines.size());
    assertTrue(lines.get(1).matches("sensor-\\d+,\\d{4}-\\d\\d-\\d\\dT[0-9:]+Z,\\d{4}-\\d\\d-\\d\\dT[0-9:]+Z,[A-Z_]+"));
  }
}
