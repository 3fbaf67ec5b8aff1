package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AnomalyLikelihoodTest {

  private static AnomalyLikelihood likelihood(DetectorConfig.Combination combination) {
    return new AnomalyLikelihood(DetectorConfig.fromProperties(Map.of("detector.combination", combination.name())));
  }

  @Test
  void oneChannelIsItsOwnTailWithTheWholeShare() {
    double[] shares = new double[1];
    assertEquals(0.003, likelihood(DetectorConfig.Combination.MAX).combine(new double[] {0.003}, 1, shares));
    assertEquals(1.0, shares[0]);
  }

  @Test
  void maxIsSidakCorrectedAndFisherPoolsWeakEvidence() {
    double[] shares = new double[3];
    double[] tails = {1e-6, 0.5, 0.5};
    double max = likelihood(DetectorConfig.Combination.MAX).combine(tails, 3, shares);
    assertEquals(1 - Math.pow(1 - 1e-6, 3), max, 1e-15);
    assertTrue(shares[0] > 0.8 && Math.abs(shares[1] - shares[2]) < 1e-15);
    // Three channels each a little unusual: Fisher finds that together they are very unusual.
    double[] weak = {0.01, 0.01, 0.01};
    double fisher = likelihood(DetectorConfig.Combination.FISHER).combine(weak, 3, shares);
    double sidak = likelihood(DetectorConfig.Combination.MAX).combine(weak, 3, shares);
    assertTrue(fisher < 1e-3 && sidak > 0.02, fisher + " vs " + sidak);
    // χ²(6) upper tail at x = -2 Σ ln p: e^(-x/2) (1 + x/2 + (x/2)²/2).
    double half = -3 * Math.log(0.01);
    assertEquals(Math.exp(-half) * (1 + half + half * half / 2), fisher, 1e-15);
  }

  @Test
  void tinyTailsKeepSharesFinite() {
    double[] shares = new double[2];
    double p = likelihood(DetectorConfig.Combination.FISHER).combine(new double[] {Double.MIN_NORMAL, 1}, 2, shares);
    assertTrue(p >= 0 && p < 1e-300);
    assertEquals(1.0, shares[0]);
    assertEquals(0.0, shares[1]);
  }

  @Test
  void normalErrorsRarelyLookAnomalousAndAJumpDoes() {
    AnomalyLikelihood l = likelihood(DetectorConfig.Combination.MAX);
    double[] stats = new double[AnomalyLikelihood.STATS];
    float[] histogram = new float[AnomalyLikelihood.BINS];
    SplittableRandom random = new SplittableRandom(4);
    int below3 = 0;
    int below4 = 0;
    int n = 1;
    for (; n <= 100_500; n++) {
      double tail = l.update(stats, histogram, 0, 0, TestSeries.gaussian(random), n);
      if (n > 500 && tail < 1e-3) below3++;
      if (n > 500 && tail < 1e-4) below4++;
    }
    // The Gaussian of cube roots is close, not exact: measured about 2x the nominal rate at 1e-3, 3x at 1e-4.
    assertTrue(below3 < 300, below3 + " of 100 000 normal errors below 1e-3");
    assertTrue(below4 < 50, below4 + " of 100 000 normal errors below 1e-4");
    assertTrue(l.update(stats, histogram, 0, 0, 8, n) < 1e-6, "one error of 8σ");
  }

  @Test
  void aValueBeyondTheRangeSeenIsFlaggedAndOnceInTheRangeBelongs() {
    AnomalyLikelihood l = likelihood(DetectorConfig.Combination.MAX);
    double[] stats = new double[AnomalyLikelihood.STATS];
    float[] histogram = new float[AnomalyLikelihood.BINS];
    int settle = DetectorConfig.defaults().rangeSettleReadings();
    for (int n = 0; n < 1000; n++) {
      double value = 10 + n % 10;
      double tail = l.update(stats, histogram, 0, value, 0, n);
      assertTrue(tail > 1e-3, "n=" + n);
      l.extendRange(stats, 0, value, n == 0);
    }
    // Range 10..19: 5 % of it beyond is at the tolerance, 1e-4 before the correction for three tests.
    assertEquals(3e-4, l.update(stats, histogram, 0, 19.45, 0, 1000), 1e-7);
    assertTrue(l.update(stats, histogram, 0, 25, 0, 1001) < 1e-20);
    l.extendRange(stats, 0, 25, false);
    assertTrue(l.update(stats, histogram, 0, 25, 0, 1002) > 1e-3, "25 belongs to the range now");
    // A young range says nothing.
    double[] young = new double[AnomalyLikelihood.STATS];
    l.extendRange(young, 0, 10, true);
    assertEquals(1.0, l.update(young, new float[AnomalyLikelihood.BINS], 0, 1e6, 0, settle - 1), 1e-12);
  }

  @Test
  void aRecurringErrorBecomesNormalWhileASecondIncidentIsStillOne() {
    AnomalyLikelihood l = likelihood(DetectorConfig.Combination.MAX);
    double[] stats = new double[AnomalyLikelihood.STATS];
    float[] histogram = new float[AnomalyLikelihood.BINS];
    SplittableRandom random = new SplittableRandom(12);
    double[] tails = new double[3000];
    for (int n = 1; n < tails.length; n++) {
      // Incidents at 500 and 1000, both news; from 1500 a spike every 40 readings, soon a habit.
      boolean spike = n == 500 || n == 1000 || (n >= 1500 && n % 40 == 0);
      tails[n] = l.update(stats, histogram, 0, 0, spike ? 12 : TestSeries.gaussian(random), n);
    }
    assertTrue(tails[500] < 1e-6 && tails[1000] < 1e-6, tails[500] + ", " + tails[1000]);
    assertTrue(tails[2960] > 1e-3, "the 37th is not: " + tails[2960]);
  }
}
