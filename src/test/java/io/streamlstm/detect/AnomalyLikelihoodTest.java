package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AnomalyLikelihoodTest {

  private static AnomalyLikelihood likelihood(DetectorConfig.Combination combination) {
    DetectorConfig d = DetectorConfig.defaults();
    return new AnomalyLikelihood(new DetectorConfig(d.warmUpReadings(), d.anomalyThreshold(), d.bandSigmas(),
        d.replayReadings(), d.shortHalfLife(), d.adaptHalfLife(), d.historyHalfLife(),
        combination, d.clockSetBackReadings(), d.evidencesOff()), 0);
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

  /** One channel's statistics, read every five minutes, scored reading after reading. */
  private static final class FiveMinuteChannel {
    private static final long FIVE_MINUTES = 300_000;
    private final AnomalyLikelihood likelihood = likelihood(DetectorConfig.Combination.MAX);
    private final float[] stats = new float[AnomalyLikelihood.STATS];
    private final char[] histograms = new char[AnomalyLikelihood.HISTOGRAMS];
    private long n;

    /** The tail of the next reading, with standardised error {@code error} and value {@code value}. */
    double next(double error, double value) {
      n++;
      return likelihood.update(stats, histograms, 0, error, value, 1, n * FIVE_MINUTES, FIVE_MINUTES, n, null, 0);
    }
  }

  @Test
  void normalReadingsRarelyLookAnomalousAndASpikeDoes() {
    FiveMinuteChannel channel = new FiveMinuteChannel();
    SplittableRandom random = new SplittableRandom(4);
    int below3 = 0;
    int below4 = 0;
    for (int n = 1; n <= 100_500; n++) {
      double z = TestSeries.gaussian(random);
      double tail = channel.next(TestSeries.gaussian(random), z);
      if (n > 500 && tail < 1e-3) below3++;
      if (n > 500 && tail < 1e-4) below4++;
    }
    // Judged against their own history, normal readings reach 1e-3 seldom (measured 7 times) and 1e-4 never.
    assertTrue(below3 < 30, below3 + " of 100 000 normal readings below 1e-3");
    assertTrue(below4 < 5, below4 + " of 100 000 normal readings below 1e-4");
    // One error of 8σ lies beyond every error this sensor has shown: far past the default alarm level (2e-3),
    // and one of 16σ further still.
    double spike = channel.next(8, 0);
    assertTrue(spike < 2e-4, "one error of 8σ: " + spike);
    assertTrue(channel.next(16, 0) < spike, "one error of 16σ");
  }

  @Test
  void theRoutineAloneAlarmsButNeverOutranksAReadingTheForecastExpected() {
    // Ten days of a sensor that reads 0 in the first half of each day and 10 in the second, its forecast erring by
    // up to 5σ all along: a 2σ or a 4σ error is nothing new. Then, just after midnight, a 10: usual for the sensor,
    // not for the hour, so only the routine finds it strange.
    FiveMinuteChannel expected = new FiveMinuteChannel();
    FiveMinuteChannel missed = new FiveMinuteChannel();
    SplittableRandom random = new SplittableRandom(8);
    int readingsPerDay = 288;
    for (int t = 1; t <= 10 * readingsPerDay; t++) {
      double error = random.nextDouble(-5, 5);
      double value = (t % readingsPerDay < readingsPerDay / 2 ? 0 : 10) + 0.1 * TestSeries.gaussian(random);
      expected.next(error, value);
      missed.next(error, value);
    }
    DetectorConfig d = DetectorConfig.defaults();
    double alarmTail = 1 - d.anomalyThreshold();
    // Within the forecast's band (3σ): floored at 0.9 of the alarm tail of five tests and Stuck's, times five.
    double withinBand = expected.next(2, 10);
    assertEquals(5 * 0.9 * alarmTail / 6, withinBand, 1e-15);
    assertTrue(withinBand < alarmTail, "it still alarms: " + withinBand);
    // Beside an error beyond the band, the hour's comparison counts in full.
    double beyondBand = missed.next(4, 10);
    assertTrue(beyondBand < withinBand / 100, beyondBand + " vs " + withinBand);
  }

  @Test
  void aValueFarFromTheSensorsHistoryIsAnomalousEvenWhenPredictedWellUntilItLasts() {
    FiveMinuteChannel channel = new FiveMinuteChannel();
    SplittableRandom random = new SplittableRandom(5);
    for (int t = 0; t < 20_000; t++) channel.next(TestSeries.gaussian(random), TestSeries.gaussian(random));
    // The network follows the new level at once (normal errors); the value is 8 spreads from all it has been.
    double least = 1;
    for (int t = 0; t < 3; t++) least = Math.min(least, channel.next(TestSeries.gaussian(random), 8 + TestSeries.gaussian(random)));
    // Within three readings it is an alarm at the product's alarm level (measured 3.7e-4).
    assertTrue(least < 1 - DetectorConfig.defaults().anomalyThreshold(), "a new level " + least);
    // Five history half-lives later the level is the sensor's own: it looks normal again (measured 0 of 1000).
    for (int t = 0; t < 5 * 2000; t++) channel.next(TestSeries.gaussian(random), 8 + TestSeries.gaussian(random));
    int rare = 0;
    for (int t = 0; t < 1000; t++) {
      if (channel.next(TestSeries.gaussian(random), 8 + TestSeries.gaussian(random)) < 1e-3) rare++;
    }
    assertTrue(rare < 5, rare + " of 1000 readings at the lasting level below 1e-3");
  }

  @Test
  void aModerateDepartureThatLastsLongerThanTheSensorsUsualExcursionsIsAnomalous() {
    FiveMinuteChannel channel = new FiveMinuteChannel();
    SplittableRandom random = new SplittableRandom(6);
    // Every 400 readings the sensor goes 3 spreads up for an hour (12 readings), predicted well throughout.
    int excursionAlarms = 0;
    for (int t = 0; t < 40_000; t++) {
      double value = (t % 400 < 12 ? 3 : 0) + TestSeries.gaussian(random);
      double tail = channel.next(TestSeries.gaussian(random), value);
      if (t >= 20_000 && tail < 1 - DetectorConfig.defaults().anomalyThreshold()) excursionAlarms++;
    }
    // Now it goes 2.5 spreads up and stays: no reading is further off than in its usual excursions.
    int firstAlarm = -1;
    for (int t = 0; t < 400 && firstAlarm < 0; t++) {
      double tail = channel.next(TestSeries.gaussian(random), 2.5 + TestSeries.gaussian(random));
      if (tail < 1 - DetectorConfig.defaults().anomalyThreshold()) firstAlarm = t;
    }
    // Measured: 7 alarm readings over the last 50 excursions, and the first alarm 95 readings into the
    // departure, from the level averaged over an episode; with the short averages alone, none in 400.
    assertTrue(excursionAlarms < 15, excursionAlarms + " alarms in 50 usual excursions");
    assertTrue(firstAlarm >= 12 && firstAlarm < 150, "a lasting departure, first alarm at " + firstAlarm);
  }
}
