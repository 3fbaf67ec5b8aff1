package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.detect.Explanation.Reason;
import io.streamlstm.lstm.Models;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An evidence switched off ({@link DetectorConfig#evidencesOff()}) never explains a reading; the others go on. */
class EvidencesOffTest {

  /** A daily cycle of 5-minute readings that freezes for 200 readings, then shifts its level for a day. */
  private static double[] series() {
    double[] series = TestSeries.noisyCycle(4000, 20, 3, 0.5, 78);
    for (int t = 2000; t < 2200; t++) series[t] = series[1999];
    for (int t = 3000; t < 3288; t++) series[t] += 4;
    return series;
  }

  private static Map<Reason, Integer> explained(DetectorConfig config) {
    Detector detector = new Detector(Models.loadDefault(), config);
    SensorState state = detector.newState();
    double[] series = series();
    Map<Reason, Integer> counts = new EnumMap<>(Reason.class);
    for (int t = 0; t < series.length; t++) {
      Score s = detector.process(state, Reading.single(TestSeries.START + t * TestSeries.STEP, series[t])).score();
      counts.merge(s.explanation().reason(), 1, Integer::sum);
    }
    return counts;
  }

  private static DetectorConfig without(Reason... off) {
    DetectorConfig d = DetectorConfig.defaults();
    return new DetectorConfig(d.warmUpReadings(), d.anomalyThreshold(), d.bandSigmas(), d.replayReadings(),
        d.shortHalfLife(), d.adaptHalfLife(), d.historyHalfLife(), d.combination(), d.clockSetBackReadings(),
        Set.of(off));
  }

  @Test
  void aReasonSwitchedOffIsNeverGivenAndTheOthersStillAre() {
    Map<Reason, Integer> all = explained(DetectorConfig.defaults());
    assertTrue(all.containsKey(Reason.ROUTINE) && all.containsKey(Reason.STUCK), "both explain readings by default: " + all);

    Map<Reason, Integer> withoutBoth = explained(without(Reason.ROUTINE, Reason.STUCK));
    assertFalse(withoutBoth.containsKey(Reason.ROUTINE), withoutBoth.toString());
    assertFalse(withoutBoth.containsKey(Reason.STUCK), withoutBoth.toString());
    assertTrue(withoutBoth.containsKey(Reason.SUDDEN_ERROR) && withoutBoth.containsKey(Reason.LEVEL), withoutBoth.toString());
  }

  @Test
  void anEvidenceOffStillKeepsItsStatistics() {
    // So a fleet that switches the routine back on is judged from the routine's current slots, not a frozen day.
    DetectorConfig off = without(Reason.ROUTINE);
    Detector detector = new Detector(Models.loadDefault(), off);
    Detector reference = new Detector(Models.loadDefault(), DetectorConfig.defaults());
    SensorState withOff = detector.newState();
    SensorState withOn = reference.newState();
    double[] series = series();
    for (int t = 0; t < series.length; t++) {
      Reading r = Reading.single(TestSeries.START + t * TestSeries.STEP, series[t]);
      detector.process(withOff, r);
      reference.process(withOn, r);
    }
    int from = AnomalyLikelihood.ROUTINE;
    for (int j = from; j < from + Routine.SIZE; j++) {
      assertEquals(withOn.likelihood[j], withOff.likelihood[j], "routine statistic " + (j - from));
    }
  }
}
