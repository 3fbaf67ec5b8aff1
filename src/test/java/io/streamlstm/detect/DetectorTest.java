package io.streamlstm.detect;

import static io.streamlstm.detect.TestSeries.START;
import static io.streamlstm.detect.TestSeries.STEP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.lstm.Model;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DetectorTest {

  private static final Model MODEL = TestSeries.model(1, 32, 2, 7, "model-a");
  private static final DetectorConfig CONFIG = DetectorConfig.defaults();

  private static Score accept(Detector detector, SensorState state, Reading reading) {
    Outcome outcome = detector.process(state, reading);
    assertTrue(outcome.accepted(), () -> "refused: " + outcome.rejection());
    return outcome.score();
  }

  private static Score[] scoreAll(Detector detector, SensorState state, double[] series, int from) {
    Score[] scores = new Score[series.length];
    for (int t = from; t < series.length; t++) {
      scores[t] = accept(detector, state, Reading.single(START + t * STEP, series[t]));
    }
    return scores;
  }

  @Test
  void scoresAreBitIdenticalWhetherTheStateStaysInMemoryOrGoesThroughTheCodecEveryStepFreshOrReused() {
    String[] channels = {"temp", "pressure"};
    SplittableRandom random = new SplittableRandom(11);
    Detector inMemory = new Detector(MODEL, CONFIG);
    Detector viaBytes = new Detector(MODEL, CONFIG);
    Detector viaReused = new Detector(MODEL, CONFIG);
    SensorState kept = inMemory.newState();
    byte[] stored = viaBytes.newState().encode();
    SensorState reused = viaReused.newState();
    byte[] storedForReuse = reused.encode();
    for (int t = 0; t < 5000; t++) {
      double[] values = {20 + Math.sin(t / 30.0) + 0.1 * TestSeries.gaussian(random),
          1000 + (t % 700 == 699 ? 50 : 0) + TestSeries.gaussian(random)};
      Reading reading = new Reading(START + t * STEP, channels, values);
      Score a = accept(inMemory, kept, reading);
      SensorState restored = SensorState.decode(stored);
      Score b = accept(viaBytes, restored, reading);
      stored = restored.encode();
      SensorState.decodeInto(storedForReuse, reused);
      Score r = accept(viaReused, reused, reading);
      storedForReuse = reused.encode();
      assertEquals(Double.doubleToRawLongBits(a.likelihood()), Double.doubleToRawLongBits(b.likelihood()), "t=" + t);
      assertEquals(Double.doubleToRawLongBits(a.likelihood()), Double.doubleToRawLongBits(r.likelihood()), "t=" + t);
      for (int c = 0; c < 2; c++) {
        assertEquals(Double.doubleToRawLongBits(a.expected()[c]), Double.doubleToRawLongBits(b.expected()[c]));
        assertEquals(Double.doubleToRawLongBits(a.lower()[c]), Double.doubleToRawLongBits(b.lower()[c]));
        assertEquals(Double.doubleToRawLongBits(a.error()[c]), Double.doubleToRawLongBits(b.error()[c]));
        assertEquals(Double.doubleToRawLongBits(a.channelShares()[c]),
            Double.doubleToRawLongBits(b.channelShares()[c]));
      }
    }
    assertEquals(kept, SensorState.decode(stored));
    assertArrayEquals(stored, storedForReuse);
  }

  @Test
  void refusedReadingsLeaveTheStateByteIdenticalAndTheSeriesUnchanged() {
    Detector detector = new Detector(MODEL, CONFIG);
    SensorState offered = detector.newState();
    SensorState clean = detector.newState();
    double[] series = TestSeries.noisyCycle(300, 10, 2, 0.3, 5);
    for (int t = 0; t < series.length; t++) {
      long time = START + t * STEP;
      if (t > 0) {
        byte[] before = offered.encode();
        assertRefused(detector, offered, Reading.single(time, Double.NaN), Rejection.Reason.NOT_FINITE);
        assertRefused(detector, offered, Reading.single(time, Double.POSITIVE_INFINITY), Rejection.Reason.NOT_FINITE);
        assertRefused(detector, offered, Reading.single(time, Double.NEGATIVE_INFINITY), Rejection.Reason.NOT_FINITE);
        assertRefused(detector, offered, new Reading(time, new String[] {"other"}, new double[] {1}),
            Rejection.Reason.WRONG_CHANNELS);
        assertRefused(detector, offered, new Reading(time, new String[] {"value", "b"}, new double[] {1, 2}),
            Rejection.Reason.WRONG_CHANNELS);
        assertRefused(detector, offered, new Reading(time, new String[0], new double[0]),
            Rejection.Reason.WRONG_CHANNELS);
        assertArrayEquals(before, offered.encode(), "t=" + t);
        // An earlier reading only counts toward a clock set back, until the next accepted one.
        assertRefused(detector, offered, Reading.single(time - STEP - 1, series[t]), Rejection.Reason.TIME_BACKWARDS);
        assertEquals(1, offered.backwardsRun);
        assertEquals(time - STEP - 1, offered.lastBackwardsMillis);
      }
      Score a = accept(detector, offered, Reading.single(time, series[t]));
      Score b = accept(detector, clean, Reading.single(time, series[t]));
      assertEquals(b.likelihood(), a.likelihood());
      assertEquals(b.expected()[0], a.expected()[0]);
    }
    assertEquals(clean, offered);
  }

  @Test
  void aReadingAtTheSameTimestampIsAccepted() {
    Detector detector = new Detector(MODEL, CONFIG);
    SensorState state = detector.newState();
    accept(detector, state, Reading.single(START, 1));
    accept(detector, state, Reading.single(START, 2));
    assertEquals(2, state.readings());
  }

  private static void assertRefused(Detector detector, SensorState state, Reading reading, Rejection.Reason reason) {
    Outcome outcome = detector.process(state, reading);
    assertFalse(outcome.accepted());
    assertEquals(reason, outcome.rejection().reason());
  }

  @Test
  void aClockSetBackForGoodIsFollowedAfterItsRunOfEarlierReadings() {
    Detector detector = new Detector(MODEL, CONFIG);
    SensorState state = detector.newState();
    double[] series = TestSeries.noisyCycle(400, 10, 2, 0.3, 5);
    scoreAll(detector, state, Arrays.copyOf(series, 200), 0);
    long last = state.lastTimestampMillis();
    long setBack = last - 86_400_000L; // a day earlier, then on at the usual pace
    int needed = CONFIG.clockSetBackReadings();
    assertEquals(10, needed);
    for (int i = 0; i < needed - 1; i++) {
      Outcome outcome = detector.process(state, Reading.single(setBack + i * STEP, series[200 + i]));
      assertEquals(Rejection.Reason.TIME_BACKWARDS, outcome.rejection().reason(), "reading " + i);
      assertTrue(outcome.stateChanged(), "the run is counted in the state");
      assertEquals(i + 1, state.backwardsRun);
      assertEquals(200, state.readings());
      assertEquals(last, state.lastTimestampMillis());
    }
    // The n-th in a row is accepted, and the sensor goes on from its new clock.
    for (int i = needed - 1; i < 200; i++) {
      Score score = accept(detector, state, Reading.single(setBack + i * STEP, series[200 + i]));
      assertTrue(Double.isFinite(score.likelihood()) && score.likelihood() >= 0 && score.likelihood() <= 1);
      assertEquals(0, state.backwardsRun);
    }
    assertEquals(200 + 200 - (needed - 1), state.readings());
    assertEquals(setBack + 199 * STEP, state.lastTimestampMillis());
    assertEquals(state, SensorState.decode(state.encode()));
  }

  @Test
  void aRunOfEarlierReadingsStartsAgainWhenOneIsOutOfOrderOrOneIsOnTime() {
    Detector detector = new Detector(MODEL, CONFIG);
    SensorState state = detector.newState();
    double[] series = TestSeries.noisyCycle(200, 10, 2, 0.3, 5);
    scoreAll(detector, state, series, 0);
    long last = state.lastTimestampMillis();
    for (int i = 0; i < 5; i++) assertRefused(detector, state, Reading.single(last - 1000 + i, 10), Rejection.Reason.TIME_BACKWARDS);
    assertEquals(5, state.backwardsRun);
    assertEquals(state, SensorState.decode(state.encode()), "the run goes through the codec");
    // Earlier than the run's last reading: not one clock going on, so the run starts again.
    assertRefused(detector, state, Reading.single(last - 5000, 10), Rejection.Reason.TIME_BACKWARDS);
    assertEquals(1, state.backwardsRun);
    // A reading on the sensor's own clock ends the run.
    accept(detector, state, Reading.single(last + STEP, 10));
    assertEquals(0, state.backwardsRun);
    assertEquals(Long.MIN_VALUE, state.lastBackwardsMillis);

    DetectorConfig never = DetectorConfig.fromProperties(Map.of("detector.clockSetBackReadings", "0"));
    Detector strict = new Detector(MODEL, never);
    SensorState refusing = strict.newState();
    scoreAll(strict, refusing, series, 0);
    for (int i = 0; i < 50; i++) {
      assertRefused(strict, refusing, Reading.single(last - 86_400_000L + i * STEP, 10), Rejection.Reason.TIME_BACKWARDS);
    }
    assertEquals(series.length, refusing.readings());
  }

  @Test
  void warmUpReadingsScoreZeroAndAreFlagged() {
    DetectorConfig config = new DetectorConfig(40, 0.5, 3);
    Detector detector = new Detector(MODEL, config);
    SensorState state = detector.newState();
    double[] series = TestSeries.noisyCycle(200, 10, 2, 0.3, 6);
    series[20] = 1e6; // an outrageous value inside the warm-up still scores 0
    Score[] scores = scoreAll(detector, state, series, 0);
    for (int t = 0; t < 40; t++) {
      assertTrue(scores[t].warmingUp());
      assertEquals(0.0, scores[t].likelihood());
      assertFalse(scores[t].anomaly());
    }
    for (int t = 40; t < 200; t++) assertFalse(scores[t].warmingUp());
  }

  @Test
  void aShortBurstIsFlaggedWhileNormalNoiseIsNot() {
    Detector detector = new Detector(MODEL, CONFIG);
    SensorState state = detector.newState();
    // Noise the untrained test model cannot predict: its errors are the noise, the burst is 4σ of it.
    double[] series = TestSeries.noisyCycle(3000, 50, 0, 1, 21);
    for (int t = 2500; t < 2505; t++) series[t] += 4;
    Score[] scores = scoreAll(detector, state, series, 0);
    int falseAlarms = 0;
    double maxNormal = 0;
    for (int t = CONFIG.warmUpReadings(); t < 2500; t++) {
      if (scores[t].anomaly()) falseAlarms++;
      maxNormal = Math.max(maxNormal, scores[t].likelihood());
      assertTrue(scores[t].likelihood() >= 0 && scores[t].likelihood() <= 1);
    }
    double maxBurst = 0;
    for (int t = 2500; t < 2506; t++) maxBurst = Math.max(maxBurst, scores[t].likelihood());
    assertEquals(0, falseAlarms, "false alarms on normal noise, max likelihood " + maxNormal);
    assertTrue(maxBurst >= CONFIG.anomalyThreshold(), "burst likelihood " + maxBurst);
    // Judged against what this sensor has shown, a burst of 4σ is certain after a few readings, not at its first.
    boolean flagged = false;
    for (int t = 2500; t < 2505; t++) flagged |= scores[t].anomaly();
    assertTrue(flagged, "flagged within the burst");
  }

  @Test
  void aSingleSpikeIsFlagged() {
    Detector detector = new Detector(MODEL, CONFIG);
    SensorState state = detector.newState();
    double[] series = TestSeries.noisyCycle(2000, 50, 0, 1, 22);
    series[1500] += 6;
    Score[] scores = scoreAll(detector, state, series, 0);
    assertTrue(scores[1500].anomaly(), "spike likelihood " + scores[1500].likelihood());
    assertTrue(scores[1500].upper()[0] < series[1500], "the spike lies outside the expected band");
  }

  @Test
  void afterALevelShiftTheNewLevelBecomesNormal() {
    Detector detector = new Detector(MODEL, CONFIG);
    SensorState state = detector.newState();
    double[] series = TestSeries.noisyCycle(4000, 100, 0, 1, 23);
    for (int t = 2000; t < series.length; t++) series[t] += 15;
    Score[] scores = scoreAll(detector, state, series, 0);
    boolean flagged = false;
    for (int t = 2000; t < 2005; t++) flagged |= scores[t].anomaly();
    assertTrue(flagged, "the shift itself is flagged");
    int lastFlag = -1;
    for (int t = 2000; t < series.length; t++) if (scores[t].anomaly()) lastFlag = t;
    assertTrue(lastFlag < 2300, "still flagged at " + lastFlag);
  }

  @Test
  void aFlatSeriesIsQuietUntilItMoves() {
    Detector detector = new Detector(MODEL, CONFIG);
    SensorState state = detector.newState();
    double[] series = new double[1500];
    java.util.Arrays.fill(series, 5.0);
    for (int t = 1200; t < series.length; t++) series[t] = 5.5;
    Score[] scores = scoreAll(detector, state, series, 0);
    for (int t = CONFIG.warmUpReadings(); t < 1200; t++) assertFalse(scores[t].anomaly(), "t=" + t);
    assertTrue(scores[1200].anomaly(), "the step is flagged, likelihood " + scores[1200].likelihood());
  }

  @Test
  void readingsAtTheEndsOfTheDoubleRangeLeaveEveryStatisticFinite() {
    Detector detector = new Detector(MODEL, CONFIG);
    SensorState state = detector.newState();
    double[] extremes = {-Double.MAX_VALUE, Double.MAX_VALUE, 0, 1e300, -1e300, 5};
    for (int t = 0; t < 300; t++) {
      Score score = accept(detector, state, Reading.single(START + t * STEP, extremes[t % extremes.length]));
      assertTrue(Double.isFinite(score.likelihood()), "t=" + t);
      // decode refuses a state holding NaN or an infinity anywhere.
      SensorState.decode(state.encode());
    }
  }

  @Test
  void aQuantisedSeriesIsNotAnAnomalyAtEveryStep() {
    Detector detector = new Detector(MODEL, CONFIG);
    SensorState state = detector.newState();
    SplittableRandom random = new SplittableRandom(24);
    double[] series = new double[3000];
    for (int t = 0; t < series.length; t++) series[t] = random.nextInt(3);
    Score[] scores = scoreAll(detector, state, series, 0);
    int flags = 0;
    for (Score s : scores) if (s.anomaly()) flags++;
    assertTrue(flags <= 3, flags + " flags on a quantised series");
  }

  @Test
  void aModelSwitchRewarmsFromTheRecentReadingsSoScoresStayContinuous() {
    Model other = TestSeries.model(1, 16, 1, 99, "model-b");
    Detector before = new Detector(MODEL, CONFIG);
    Detector after = new Detector(other, CONFIG);
    double[] series = TestSeries.noisyCycle(3000, 10, 2, 0.2, 25);
    SensorState switched = before.newState();
    for (int t = 0; t < 2000; t++) accept(before, switched, Reading.single(START + t * STEP, series[t]));
    SensorState throughout = after.newState();
    Score[] reference = scoreAll(after, throughout, series, 0);
    Score[] continued = scoreAll(after, switched, series, 2000);
    assertEquals("model-b", switched.modelVersion());
    for (int t = 2000; t < 3000; t++) {
      assertEquals("model-b", continued[t].modelVersion());
      assertFalse(continued[t].anomaly(), "t=" + t);
      // h and C are replayed from the 16 recent readings, but the sensor's readout of the new network (its h
      // features are another model's) learns afresh: the forecasts stay within five noise σ (0.2) of a state
      // that saw everything, and come back within half of one as the readout relearns.
      assertEquals(reference[t].expected()[0], continued[t].expected()[0], t < 2900 ? 1.0 : 0.1, "t=" + t);
    }
    // The places the old network's memory visited mean nothing in the new one's: learned anew since the switch.
    assertEquals(1000, switched.likelihood[AnomalyLikelihood.MEMORY], "memories seen since the switch");
  }

  @Test
  void aStateOfAnotherModelIsNotRewarmedByARefusedReading() {
    Detector before = new Detector(MODEL, CONFIG);
    Detector after = new Detector(TestSeries.model(1, 16, 1, 99, "model-b"), CONFIG);
    SensorState state = before.newState();
    accept(before, state, Reading.single(START, 1));
    byte[] bytes = state.encode();
    assertFalse(after.process(state, Reading.single(START + 1, Double.NaN)).accepted());
    assertArrayEquals(bytes, state.encode());
  }

  @Test
  void aBurstOnOneOfSeveralChannelsIsFlaggedAndAttributedToIt() {
    for (Model model : new Model[] {MODEL, TestSeries.model(3, 16, 1, 8, "three")}) {
      Detector detector = new Detector(model, CONFIG);
      SensorState state = detector.newState();
      String[] channels = {"a", "b", "c"};
      double[][] series = {
          TestSeries.noisyCycle(2000, 10, 0.1, 0.5, 31),
          TestSeries.noisyCycle(2000, -5, 0, 0.2, 32),
          TestSeries.noisyCycle(2000, 1e4, 0, 10, 33)};
      // 7.5σ of channel b for five readings: beyond all b has shown, on one of three channels (Šidák-corrected).
      for (int t = 1800; t < 1805; t++) series[1][t] += 1.5;
      Score burst = null;
      for (int t = 0; t < 2000; t++) {
        Score s = accept(detector, state,
            new Reading(START + t * STEP, channels, new double[] {series[0][t], series[1][t], series[2][t]}));
        if (t < 1800 && t >= CONFIG.warmUpReadings()) assertFalse(s.anomaly(), model.version() + " t=" + t);
        if (t >= 1800 && t < 1805 && s.anomaly() && burst == null) burst = s;
        double sum = 0;
        for (double share : s.channelShares()) sum += share;
        assertEquals(1.0, sum, 1e-9);
      }
      assertTrue(burst != null, model.version() + ": burst on channel b not flagged");
      assertTrue(burst.channelShares()[1] > 0.5, "share of b " + burst.channelShares()[1]);
    }
  }

  @Test
  void aModelOfAnotherWidthRefusesTheChannels() {
    Detector detector = new Detector(TestSeries.model(2, 8, 1, 1, "two"), CONFIG);
    Outcome outcome = detector.process(detector.newState(),
        new Reading(START, new String[] {"a", "b", "c"}, new double[] {1, 2, 3}));
    assertEquals(Rejection.Reason.WRONG_CHANNELS, outcome.rejection().reason());
  }

  @Test
  void aStateShapedForAnotherArchitectureIsRewarmedNotCrashedOn() {
    Detector small = new Detector(TestSeries.model(1, 8, 1, 1, "same"), CONFIG);
    Detector large = new Detector(TestSeries.model(1, 16, 2, 2, "same"), CONFIG);
    SensorState state = small.newState();
    for (int t = 0; t < 50; t++) accept(small, state, Reading.single(START + t * STEP, t % 7));
    accept(large, state, Reading.single(START + 50 * STEP, 3));
    // h and C of two layers of 16, then the sensor's readout: 16 + 2 weights, 4 statistics and the confidence's slices.
    assertEquals(2 * 2 * 16 + 18 + 4 + 2 * ConfidenceScale.SIZE, state.recurrent[0].length);
  }
}
