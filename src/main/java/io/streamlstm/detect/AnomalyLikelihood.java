package io.streamlstm.detect;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Gamma;

/**
 * Turns one channel's prediction errors into the probability p that what the sensor does now is normal
 * for it; the detector reports 1 - p. After HTM's anomaly likelihood (a short average of the errors judged
 * against a Gaussian fitted to the history of those averages, upper tail), with these differences:
 * <ul>
 *   <li>the error is the LSTM's own standardised error {@code e = (z - μ) / σ}, so a sensor the network
 *       finds hard to predict (large σ) is not called anomalous for it;</li>
 *   <li><b>magnitude test</b>: the short average (half-life {@code shortHalfLife}) is of e², and what is
 *       judged is its cube root {@code a}: an average of squared Gaussian errors is a scaled χ², whose
 *       cube root is close to Gaussian (Wilson–Hilferty), so the Gaussian tail is nearly honest, and one
 *       large error stands out of the average more than |e| would;</li>
 *   <li>two histories judge each short average: a long one (half-life {@code historyHalfLife}, inputs
 *       clamped at mean ± {@code winsorSigmas} spreads so a burst cannot teach itself) and a fast one
 *       (half-life {@code adaptHalfLife}) that does learn. The larger tail counts, so after a lasting
 *       change (new level, new noise) the new errors are normal within a few fast half-lives;</li>
 *   <li>besides the Gaussian, the share of past averages at least as large (a decayed histogram over
 *       half-octaves, half-life {@code historyHalfLife}): recurring large errors — regular spikes, sharp
 *       periodic edges — become normal even where the Gaussian would keep calling them extreme;</li>
 *   <li><b>bias test</b>: the short average of e clipped to ±{@link #BIAS_CLIP}, two-sided, same
 *       histories — a slide or a level shift leaves every error moderate but of one sign while the
 *       prediction lags behind, which the magnitude test barely sees;</li>
 *   <li><b>range test</b> (after Numenta's "spatial anomaly"): a value beyond the range seen so far;</li>
 *   <li>a reading whose own e² is no larger than usual is not called anomalous by the error tests, so one
 *       spike gives one alarm and not one per reading the short average takes to decay;</li>
 *   <li>a floor on the spreads ({@code minSpread}) for flat or quantised series the network predicts
 *       perfectly; all statistics exponentially weighted (an exact mean while 1/n is larger), a few
 *       numbers per channel and no windows.</li>
 * </ul>
 * The smallest of the three tails counts, Šidák-corrected for three tests.
 *
 * <p>Per channel, {@link #STATS} doubles at {@code stats[channel * STATS..]}: for each error test, the short
 * average, then mean and variance of the judged value under the long history and under the fast one; then
 * the smallest and largest value seen. And {@link #BINS} floats of histogram at {@code histogram[channel * BINS..]}.
 */
public final class AnomalyLikelihood {

  public static final int STATS = 12;
  /** Offsets of the two error tests in a channel's statistics (each keeps the five below), then the range. */
  static final int MAGNITUDE = 0;
  static final int BIAS = 5;
  static final int MIN = 10;
  static final int MAX = 11;
  static final int SHORT = 0;
  static final int LONG_MEAN = 1;
  static final int LONG_VARIANCE = 2;
  static final int FAST_MEAN = 3;
  static final int FAST_VARIANCE = 4;

  /** Tail of a value exactly {@code rangeTolerance} of the range beyond it: the default threshold's. */
  private static final double LOG_TOLERANCE_TAIL = Math.log(1e-4);

  /**
   * Errors enter the bias test clipped to ±this, so it measures how consistently the errors lean one way,
   * not how large one of them is (that is the magnitude test's job).
   */
  static final double BIAS_CLIP = 2;

  /** Bins of the histogram of past short averages per channel: half-octaves from BIN_BASE up. */
  public static final int BINS = 16;
  private static final double BIN_BASE = 0.25;

  /**
   * Averages seen before clamping starts (before that the spread is too poorly known to clamp with) and
   * before the histogram learns (h and C are still leaving their fresh zeros).
   */
  static final int SETTLE = 20;
  /** Incidents an error level must have come in before to count as normal in the histogram. */
  static final int RECURRING = 2;

  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

  private final double shortAlpha;
  private final double longAlpha;
  private final double fastAlpha;
  private final double winsorSigmas;
  private final double minSpread;
  private final double rangeTolerance;
  /** Averages in the histogram that make an error level normal: RECURRING incidents of shortHalfLife each. */
  private final double recurring;
  private final int rangeSettle;
  private final DetectorConfig.Combination combination;

  public AnomalyLikelihood(DetectorConfig config) {
    this.shortAlpha = alpha(config.shortHalfLife());
    this.longAlpha = alpha(config.historyHalfLife());
    this.fastAlpha = alpha(config.adaptHalfLife());
    this.winsorSigmas = config.winsorSigmas();
    this.minSpread = config.minSpread();
    this.rangeTolerance = config.rangeTolerance();
    this.recurring = RECURRING * Math.max(1, config.shortHalfLife());
    this.rangeSettle = config.rangeSettleReadings();
    this.combination = config.combination();
  }

  /** Weight of a new value in an exponential average with this half-life: 1 - 2^(-1/halfLife). */
  static double alpha(double halfLife) {
    return 1 - Math.pow(2, -1 / halfLife);
  }

  /**
   * Folds reading {@code n} (0 for the first) of a channel — its raw {@code value} and standardised error
   * {@code e} — into its statistics and returns the tail probability of the recent errors under the
   * histories as they were before it (no self-judging): the smallest of the magnitude, bias and range
   * tests, Šidák-corrected for the three. The first reading has no error: tail 1.
   */
  public double update(double[] stats, float[] histogram, int channel, double value, double error, long n) {
    int at = channel * STATS;
    if (n == 0) return 1;
    // A reading whose own error is no larger than usual adds no evidence: it is not called anomalous for
    // the errors before it, so one spike is one alarm, not one per reading the short average takes to decay.
    // (Most readings are such, and skip the tail computations.)
    double typical = stats[at + MAGNITUDE + LONG_MEAN];
    boolean judge = error * error > typical * typical * typical;
    double magnitude = test(stats, at + MAGNITUDE, error * error, n, true, judge);
    double seen = seenBefore(histogram, channel * BINS, Math.cbrt(stats[at + MAGNITUDE + SHORT]), n, judge);
    double bias = test(stats, at + BIAS, Math.max(-BIAS_CLIP, Math.min(BIAS_CLIP, error)), n, false, judge);
    double range = range(stats, at, value, n);
    return sidak(Math.min(Math.min(Math.max(magnitude, seen), bias), range), 3);
  }

  /**
   * The share of past short averages (cube-rooted) in {@code a}'s bin or above, from an exponentially
   * decayed histogram over half-octaves, then {@code a} folded in: how often errors this large came before.
   * Recurring large errors (regular spikes, sharp periodic edges) thus become normal even when a Gaussian
   * fitted to the averages would keep calling them extreme. Recurring means more than
   * {@link #RECURRING} incidents' worth of averages — an incident lifts the short average for about
   * {@code shortHalfLife} readings: once is not a habit, a single earlier incident must not hide the next. The first
   * {@link #SETTLE} averages, which carry the transient of a fresh h and C, are not learnt.
   */
  private double seenBefore(float[] histogram, int at, double a, long n, boolean judge) {
    int bin = (int) Math.floor(2 * Math.log(a / BIN_BASE) / Math.log(2));
    bin = Math.max(0, Math.min(BINS - 1, bin));
    long learnt = n - SETTLE;
    double share = 0;
    for (int j = bin; judge && j < BINS; j++) share += histogram[at + j];
    // One average's weight in the histogram: 1/learnt while that is above the long history's weight.
    double weight = learnt > 0 ? Math.max(1.0 / learnt, longAlpha) : 1;
    if (judge && share <= recurring * weight) share = 0;
    if (learnt > 0) {
      float keep = (float) (1 - weight);
      for (int j = 0; j < BINS; j++) histogram[at + j] *= keep;
      histogram[at + bin] += 1 - keep;
    }
    return judge ? share : 1;
  }

  /**
   * After Numenta's "spatial anomaly": a value beyond the range of the readings before the recent ones, by
   * u times that range, has tail {@code 1e-4^(u / rangeTolerance)} — 1e-4 at the tolerance, far less
   * beyond. The recent readings (the replay ring) join the range only as they leave the ring, so a slide
   * over a few dozen readings is judged against where the sensor was before it, and a new level stops
   * being flagged once it has lasted as long as the ring. Silent for the first {@code rangeSettleReadings}:
   * a young range is extended often (records come about 2/n under noise).
   */
  private double range(double[] stats, int at, double value, long n) {
    if (n < rangeSettle) return 1;
    double lo = stats[at + MIN];
    double hi = stats[at + MAX];
    double beyond = Math.max(lo - value, value - hi);
    if (!(beyond > 0)) return 1;
    if (!(hi > lo)) return MIN_TAIL;
    return Math.max(Math.exp(LOG_TOLERANCE_TAIL * beyond / (hi - lo) / rangeTolerance), MIN_TAIL);
  }

  /** Widens a channel's range to include {@code value}; {@code first} starts it there. */
  public void extendRange(double[] stats, int channel, double value, boolean first) {
    int at = channel * STATS;
    stats[at + MIN] = first ? value : Math.min(stats[at + MIN], value);
    stats[at + MAX] = first ? value : Math.max(stats[at + MAX], value);
  }

  /**
   * One test at {@code stats[at..at+5)}: folds {@code x} into the short average, judges the average (its
   * cube root for the magnitude test) against both histories, then folds it into them.
   */
  private double test(double[] stats, int at, double x, long n, boolean magnitude, boolean judge) {
    double average = stats[at + SHORT] + Math.max(1.0 / n, shortAlpha) * (x - stats[at + SHORT]);
    stats[at + SHORT] = average;
    double judged = magnitude ? Math.cbrt(average) : average;
    if (n == 1) {
      stats[at + LONG_MEAN] = judged;
      stats[at + FAST_MEAN] = judged;
      return 1;
    }
    double longMean = stats[at + LONG_MEAN];
    double longSpread = spread(stats[at + LONG_VARIANCE]);
    // The larger of the two tails is the tail at the less extreme of the two z.
    double tail = 1;
    if (judge) {
      double zLong = (judged - longMean) / longSpread;
      double zFast = (judged - stats[at + FAST_MEAN]) / spread(stats[at + FAST_VARIANCE]);
      tail = magnitude ? upperTail(Math.min(zLong, zFast)) : twoSidedTail(Math.min(Math.abs(zLong), Math.abs(zFast)));
    }
    double clamped = judged;
    if (n > SETTLE) {
      double reach = winsorSigmas * longSpread;
      clamped = Math.max(longMean - reach, Math.min(longMean + reach, judged));
    }
    fold(stats, at + LONG_MEAN, clamped, Math.max(1.0 / n, longAlpha));
    fold(stats, at + FAST_MEAN, judged, Math.max(1.0 / n, fastAlpha));
    return tail;
  }

  /**
   * One tail probability from the per-channel ones {@code tails[0..k)}, by {@link DetectorConfig#combination()};
   * writes each channel's share of the evidence, proportional to -ln p_c, into {@code shares}.
   */
  public double combine(double[] tails, int k, double[] shares) {
    double evidence = 0;
    double minTail = 1;
    for (int c = 0; c < k; c++) {
      evidence += evidence(tails[c]);
      minTail = Math.min(minTail, tails[c]);
    }
    for (int c = 0; c < k; c++) shares[c] = evidence > 0 ? evidence(tails[c]) / evidence : 1.0 / k;
    if (k == 1) return tails[0];
    return switch (combination) {
      case MAX -> sidak(minTail, k);
      // Upper tail of χ²(2k) at 2·evidence is Q(k, evidence).
      case FISHER -> Gamma.regularizedGammaQ(k, evidence);
    };
  }

  /** Upper tail probabilities below this are reported as it, so -ln p stays finite for the channel shares. */
  static final double MIN_TAIL = Double.MIN_NORMAL;

  /** -ln p, the evidence against normal in nats; +0 rather than -0 for p = 1. */
  private static double evidence(double tail) {
    return Math.max(0, -Math.log(tail));
  }

  private double spread(double variance) {
    return Math.max(Math.sqrt(variance), minSpread);
  }

  /** For the magnitude test: only larger errors are anomalous. */
  private static double upperTail(double z) {
    return Math.max(STANDARD_NORMAL.cumulativeProbability(-z), MIN_TAIL);
  }

  /** For the bias test: a lean either way is. */
  private static double twoSidedTail(double absZ) {
    return Math.max(2 * STANDARD_NORMAL.cumulativeProbability(-absZ), MIN_TAIL);
  }

  /** The chance that the smallest of k independent uniform p-values is ≤ p: 1 - (1 - p)^k, in logs for tiny p. */
  static double sidak(double p, int k) {
    return k == 1 ? p : -Math.expm1(k * Math.log1p(-p));
  }

  /** West's exponentially weighted mean and variance at stats[at], stats[at + 1]. */
  private static void fold(double[] stats, int at, double x, double weight) {
    double delta = x - stats[at];
    stats[at] += weight * delta;
    stats[at + 1] = (1 - weight) * (stats[at + 1] + weight * delta * delta);
  }
}
