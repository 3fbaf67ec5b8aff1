package io.streamlstm.detect;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Gamma;

/**
 * Turns one channel's prediction errors into the probability that the recent errors are normal for
 * this sensor. After HTM's anomaly likelihood: a short average of the errors is judged against a
 * Gaussian fitted to the history of those averages, and the upper tail probability says how unusual
 * it is. What differs:
 * <ul>
 *   <li>the error is the LSTM's own standardised error {@code e = (z - μ) / σ}, so a sensor the network
 *       finds hard to predict (large σ) is not called anomalous for it;</li>
 *   <li>the short average is of e², and what is judged is its cube root {@code a = (avg e²)^(1/3)}: an
 *       average of squared Gaussian errors is a scaled χ², whose cube root is close to Gaussian
 *       (Wilson–Hilferty), so the Gaussian tail is honest; squaring also lets one large error stand out
 *       of the average more than |e| would;</li>
 *   <li>all statistics are exponentially weighted (half-lives in readings) — a few doubles per channel,
 *       no windows to store;</li>
 *   <li>two histories judge each short average: a long one (half-life {@code historyHalfLife}) that a burst
 *       cannot teach itself to (inputs clamped at mean + {@code winsorSigmas} spreads), and a fast one
 *       (half-life {@code adaptHalfLife}) that does learn: the larger tail probability
 *       counts, so after a lasting change (new level, new noise) the new errors become normal within a
 *       few fast half-lives while a short burst is judged by both;</li>
 *   <li>a floor on the spread ({@code minSpread}) for flat or quantised series that the network predicts
 *       perfectly.</li>
 * </ul>
 *
 * <p>Per channel, {@link #STATS} doubles at {@code stats[at..]}: short average of e², then mean and
 * variance of a under the long history, and under the fast one.
 */
public final class AnomalyLikelihood {

  public static final int STATS = 5;
  static final int SHORT = 0;
  static final int LONG_MEAN = 1;
  static final int LONG_VARIANCE = 2;
  static final int FAST_MEAN = 3;
  static final int FAST_VARIANCE = 4;

  /** Averages seen before clamping starts: before that the spread is too poorly known to clamp with. */
  static final int SETTLE = 20;

  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

  private final double shortAlpha;
  private final double longAlpha;
  private final double fastAlpha;
  private final double winsorSigmas;
  private final double minSpread;
  private final DetectorConfig.Combination combination;

  public AnomalyLikelihood(DetectorConfig config) {
    this.shortAlpha = alpha(config.shortHalfLife());
    this.longAlpha = alpha(config.historyHalfLife());
    this.fastAlpha = alpha(config.adaptHalfLife());
    this.winsorSigmas = config.winsorSigmas();
    this.minSpread = config.minSpread();
    this.combination = config.combination();
  }

  /** Weight of a new value in an exponential average with this half-life: 1 - 2^(-1/halfLife). */
  static double alpha(double halfLife) {
    return 1 - Math.pow(2, -1 / halfLife);
  }

  /**
   * Folds the {@code n}-th standardised error e (n ≥ 1) of a channel into its statistics and returns the
   * upper tail probability of the new short average under the histories as they were before it (no
   * self-judging).
   */
  public double update(double[] stats, int at, double error, long n) {
    double meanSquare = stats[at + SHORT] + Math.max(1.0 / n, shortAlpha) * (error * error - stats[at + SHORT]);
    stats[at + SHORT] = meanSquare;
    double shortAverage = Math.cbrt(meanSquare);
    if (n == 1) {
      stats[at + LONG_MEAN] = shortAverage;
      stats[at + FAST_MEAN] = shortAverage;
      return 1;
    }
    double longSpread = spread(stats[at + LONG_VARIANCE]);
    double tail = Math.max(
        upperTail(shortAverage, stats[at + LONG_MEAN], longSpread),
        upperTail(shortAverage, stats[at + FAST_MEAN], spread(stats[at + FAST_VARIANCE])));
    double clamped = n > SETTLE
        ? Math.min(shortAverage, stats[at + LONG_MEAN] + winsorSigmas * longSpread)
        : shortAverage;
    fold(stats, at + LONG_MEAN, clamped, Math.max(1.0 / n, longAlpha));
    fold(stats, at + FAST_MEAN, shortAverage, Math.max(1.0 / n, fastAlpha));
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
      // Šidák: 1 - (1 - p)^k, in logs so tiny p keep their precision.
      case MAX -> -Math.expm1(k * Math.log1p(-minTail));
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

  private static double upperTail(double x, double mean, double spread) {
    return Math.max(STANDARD_NORMAL.cumulativeProbability(-(x - mean) / spread), MIN_TAIL);
  }

  /** West's exponentially weighted mean and variance at stats[at], stats[at + 1]. */
  private static void fold(double[] stats, int at, double x, double weight) {
    double delta = x - stats[at];
    stats[at] += weight * delta;
    stats[at + 1] = (1 - weight) * (stats[at + 1] + weight * delta * delta);
  }
}
