package io.streamlstm.detect;

import static io.streamlstm.detect.TestSeries.START;
import static io.streamlstm.detect.TestSeries.STEP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.detect.Explanation.Reason;
import org.junit.jupiter.api.Test;

class ExplanationTest {

  private static final DetectorConfig CONFIG = DetectorConfig.defaults();

  private static Score[] scoreAll(double[] series) {
    Detector detector = new Detector(TestSeries.model(1, 8, 1, 1, "m"), CONFIG);
    SensorState state = detector.newState();
    Score[] scores = new Score[series.length];
    for (int t = 0; t < series.length; t++) {
      scores[t] = detector.process(state, Reading.single(START + t * STEP, series[t])).score();
    }
    return scores;
  }

  @Test
  void aSpikeIsASuddenErrorJudgedAgainstTheNetworksBand() {
    // A random walk: each step is predictable from the last reading, while its level and hour of day are not.
    double[] series = new double[3000];
    java.util.SplittableRandom random = new java.util.SplittableRandom(21);
    for (int t = 1; t < series.length; t++) series[t] = series[t - 1] + TestSeries.gaussian(random);
    series[2500] += 12;
    Score spike = scoreAll(series)[2500];
    Explanation why = spike.explanation();
    assertTrue(spike.anomaly());
    assertEquals(Reason.SUDDEN_ERROR, why.reason());
    assertTrue(why.deviation() > 6, "deviation " + why.deviation());
    assertEquals(spike.expected()[0], why.expected());
    assertEquals(spike.lower()[0], why.lower());
    assertEquals(spike.upper()[0], why.upper());
  }

  @Test
  void aNewLevelTheNetworkFollowsIsJudgedAgainstTheSensorsHistory() {
    // A level 40 spreads below anything seen, held: past its first readings the error is small again, the level not.
    double[] series = TestSeries.noisyCycle(3000, 50, 0, 1, 22);
    for (int t = 2500; t < 3000; t++) series[t] -= 40;
    Score[] scores = scoreAll(series);
    Explanation why = scores[2520].explanation();
    assertTrue(why.reason() == Reason.LEVEL || why.reason() == Reason.LASTING_DEPARTURE, why.toString());
    assertTrue(why.deviation() < -5, "below the history: " + why.deviation());
    // The reference is the history's mean, about 50 (its spread already widened by the new readings), not the
    // network's band.
    assertEquals(50, why.expected(), 1);
    assertTrue(series[2520] < why.lower(), why.toString());
    assertTrue(why.expected() != scores[2520].expected()[0]);
  }

  @Test
  void warmingUpAndOrdinaryReadingsHaveNoReason() {
    Score[] scores = scoreAll(TestSeries.noisyCycle(1000, 50, 0, 1, 23));
    assertEquals(Reason.NONE, scores[10].explanation().reason());
    int none = 0;
    for (int t = CONFIG.warmUpReadings(); t < scores.length; t++) if (scores[t].explanation().reason() == Reason.NONE) none++;
    // No evidence is rarer than one reading in two for most ordinary readings.
    assertTrue(none > (scores.length - CONFIG.warmUpReadings()) / 4, none + " ordinary readings without a reason");
  }
}
