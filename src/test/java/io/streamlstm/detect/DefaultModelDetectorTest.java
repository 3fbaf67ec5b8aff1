package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.lstm.Models;
import org.junit.jupiter.api.Test;

/** The shipped model behind the shipped settings, on seeded series: what a user gets out of the box. */
class DefaultModelDetectorTest {

  @Test
  void theShippedModelFlagsASpikeAndABurstAndStaysQuietOnNoise() {
    Detector detector = new Detector(Models.loadDefault(), DetectorConfig.defaults());
    SensorState state = detector.newState();
    double[] series = TestSeries.noisyCycle(5000, 20, 3, 0.5, 77);
    series[3000] += 5;
    // A burst of erratic readings, 5σ of the noise either way. (A plateau would be two level shifts to a
    // model that predicts persistence, surprising only at its edges.)
    for (int t = 4000; t < 4006; t++) series[t] += t % 2 == 0 ? 2.5 : -2.5;
    int falseAlarms = 0;
    boolean spike = false;
    boolean burst = false;
    for (int t = 0; t < series.length; t++) {
      Outcome outcome = detector.process(state, Reading.single(TestSeries.START + t * TestSeries.STEP, series[t]));
      assertTrue(outcome.accepted());
      Score s = outcome.score();
      assertEquals(detector.modelVersion(), s.modelVersion());
      if (t == 3000) spike = s.anomaly();
      else if (t >= 4000 && t < 4006) burst |= s.anomaly();
      else if (t < 3000 && s.anomaly()) falseAlarms++;
    }
    assertTrue(spike, "a spike of 10σ of the noise");
    assertTrue(burst, "six erratic readings");
    assertTrue(falseAlarms <= 2, falseAlarms + " false alarms in 2900 readings of a noisy cycle");
  }
}
