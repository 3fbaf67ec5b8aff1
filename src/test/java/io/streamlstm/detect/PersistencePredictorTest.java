package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PersistencePredictorTest {

  @Test
  void predictsTheLastReadingWithTheSpreadOfRecentDifferences() {
    PersistencePredictor persistence = new PersistencePredictor();
    float[] state = new float[persistence.stateSize()];
    float[] mean = new float[1];
    float[] sigma = new float[1];
    // Alternating ±1: every difference is 2 (after the first, 1), so σ tends to 2.
    for (int t = 0; t < 500; t++) {
      assertTrue(persistence.step(state, new float[] {t % 2 == 0 ? 1 : -1}, mean, sigma));
      assertEquals(t % 2 == 0 ? 1 : -1, mean[0]);
    }
    assertEquals(2 + PersistencePredictor.SIGMA_MIN, sigma[0], 1e-3);
    // A flat stretch shrinks σ to its floor, never to 0.
    for (int t = 0; t < 2000; t++) persistence.step(state, new float[] {0.5f}, mean, sigma);
    assertEquals(PersistencePredictor.SIGMA_MIN, sigma[0], 1e-6);
  }

  @Test
  void aDetectorAroundItFlagsAJumpAsTheNetworkDetectorDoes() {
    Detector detector = new Detector(TestSeries.model(1, 8, 1, 1, "m"), new PersistencePredictor(), DetectorConfig.defaults());
    SensorState state = detector.newState();
    double[] series = TestSeries.noisyCycle(3000, 50, 0, 1, 21);
    for (int t = 2500; t < 2505; t++) series[t] += 8;
    boolean flagged = false;
    int falseAlarms = 0;
    for (int t = 0; t < series.length; t++) {
      Outcome o = detector.process(state, new Reading(1_767_225_600_000L + t * 60_000L, new String[] {Reading.VALUE},
          new double[] {series[t]}));
      if (t >= 2500 && t < 2505) flagged |= o.score().anomaly();
      else if (o.score().anomaly()) falseAlarms++;
    }
    assertTrue(flagged, "jump of 8σ not flagged");
    assertTrue(falseAlarms <= 3, falseAlarms + " false alarms");
  }
}
