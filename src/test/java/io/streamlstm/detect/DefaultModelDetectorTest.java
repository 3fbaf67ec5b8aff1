package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.lstm.Models;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped model behind the shipped settings, on a seeded series: what a user gets out of the box. */
class DefaultModelDetectorTest {

  @Test
  void theShippedModelFlagsASpikeRatesABurstHighAndStaysQuietOnNoise() {
    DetectorConfig config = DetectorConfig.defaults();
    Detector detector = new Detector(Models.loadDefault(), config);
    SensorState state = detector.newState();
    double[] series = TestSeries.noisyCycle(5000, 20, 3, 0.5, 77);
    series[3000] += 5;
    // A burst of erratic readings, 5σ of the noise either way. (A plateau would be two level shifts to a
    // model that predicts persistence, surprising only at its edges.)
    for (int t = 4000; t < 4006; t++) series[t] += t % 2 == 0 ? 2.5 : -2.5;
    int falseAlarms = 0;
    double maxNormal = 0;
    double maxBurst = 0;
    boolean spike = false;
    for (int t = 0; t < series.length; t++) {
      Outcome outcome = detector.process(state, Reading.single(TestSeries.START + t * TestSeries.STEP, series[t]));
      assertTrue(outcome.accepted());
      Score s = outcome.score();
      assertEquals(detector.modelVersion(), s.modelVersion());
      if (t == 3000) spike = s.anomaly();
      if (t >= 4000 && t < 4006) maxBurst = Math.max(maxBurst, s.likelihood());
      if (t >= config.warmUpReadings() && t < 3000) {
        if (s.anomaly()) falseAlarms++;
        maxNormal = Math.max(maxNormal, s.likelihood());
      }
    }
    assertTrue(spike, "a spike of 10σ of the noise");
    // Measured with the likelihood on main at the time of writing: the burst peaks at 0.9977, just under the
    // default threshold 0.998, while the noise once reached 0.999998 (the noise's only false alarm).
    assertTrue(maxBurst >= 0.99, "burst " + maxBurst + " vs noise at most " + maxNormal);
    assertTrue(falseAlarms <= 2, falseAlarms + " false alarms in 2900 readings of a noisy cycle");
  }

  @Test
  void aSensorStuckAtOneValueIsFlaggedOnceAsStuck() {
    // A noisy cycle whose reading freezes for 200 readings: no error, no departure, only the repeats tell.
    Detector detector = new Detector(Models.loadDefault(), DetectorConfig.defaults());
    SensorState state = detector.newState();
    double[] series = TestSeries.noisyCycle(3000, 20, 3, 0.5, 78);
    int from = 2000;
    for (int t = from; t < from + 200; t++) series[t] = series[from - 1];
    List<Integer> stuck = new ArrayList<>();
    int otherAlarms = 0;
    for (int t = 0; t < series.length; t++) {
      Score s = detector.process(state, Reading.single(TestSeries.START + t * TestSeries.STEP, series[t])).score();
      if (!s.anomaly()) continue;
      if (s.explanation().reason() == Explanation.Reason.STUCK) {
        stuck.add(t);
        assertTrue(s.explanation().deviation() >= Stuck.FREE_REPEATS, "deviation counts repeats: " + s.explanation());
      } else if (t < from) {
        otherAlarms++;
      }
    }
    assertEquals(1, stuck.size(), "one alarm for the run: " + stuck);
    assertTrue(stuck.get(0) >= from && stuck.get(0) <= from + 5, "within a few readings of the freeze: " + stuck);
    assertTrue(otherAlarms <= 2, otherAlarms + " alarms before the freeze");
  }

  @Test
  void aFlatSensorsRecurringDipsBecomeItsUsualRarityNotAnAlarmEach() {
    // As some spacecraft channels: 1.0 throughout but for one reading at -1.0 every 500. The forecast's σ sits at
    // its floor, so each dip errs by hundreds of σ; the histories rank it among the dips before it.
    Detector detector = new Detector(Models.loadDefault(), DetectorConfig.defaults());
    SensorState state = detector.newState();
    List<Integer> alarms = new ArrayList<>();
    int dips = 20;
    for (int t = 0; t < 500 * dips; t++) {
      double value = t % 500 == 499 ? -1 : 1;
      Score s = detector.process(state, Reading.single(TestSeries.START + t * TestSeries.STEP, value)).score();
      if (s.anomaly()) alarms.add(t);
    }
    assertTrue(alarms.contains(499), "the first dip is news: " + alarms);
    assertTrue(alarms.size() <= 5, alarms.size() + " alarms for " + dips + " alike dips: " + alarms);
  }
}
