package io.streamlstm.detect;

import org.apache.commons.math3.special.Gamma;

/**
 * Turns one channel's readings and prediction errors into the probability that the reading is normal
 * for this sensor. After HTM's anomaly likelihood, the errors are judged against the sensor's own
 * history of them rather than in absolute terms; what differs:
 * <ul>
 *   <li>the history is the sensor's whole recent distribution ({@link EmpiricalTail}), not a fitted
 *       Gaussian: errors are heavy-tailed and differ in shape from sensor to sensor (a square wave errs
 *       big at every edge, a flat line never), and a Gaussian's tail then over- or under-states some, so
 *       one threshold means different things on each. Ranked against its own past, the same tail
 *       probability means the same rarity on every sensor;</li>
 *   <li>five surprises are judged, each a size s as {@code ln(1 + s)}: the error of this reading alone
 *       ({@code |e|}, a spike), the root mean square of the recent errors (half-life {@code shortHalfLife}:
 *       a run of moderate errors), the level at two time scales, and the deviation from this hour's usual
 *       value ({@link DailyProfile}: a routine that fails to happen, which one-step errors do not see). The
 *       smallest tail counts, Bonferroni-corrected for the {@link #EVIDENCES}. The level is the average of
 *       {@code ln(1 + |z_H|)}, z_H the value in spreads of the sensor's own history (mean and variance
 *       forgetting with {@code historyHalfLife}, the span the surprises are judged against): a value far from
 *       where the sensor has been, which the network may predict well and its normaliser, forgetting faster,
 *       soon calls ordinary. It is averaged over the short half-life (a jump) and over an episode's,
 *       {@code adaptHalfLife} (a slow or lasting departure: a sensor that stays moderately off for longer than
 *       its history has seen it stay off, which no short average tells from its usual excursions);</li>
 *   <li>an episode is reported once: a tail no more extreme than the recent peak is damped.</li>
 * </ul>
 * All statistics forget with half-lives in readings (the daily profile's in days), so a lasting change
 * becomes normal.
 *
 * <p>Per channel c, held as narrow as the sensor state stores them (narrowed here, at each update, so a
 * state that goes through its binary form scores exactly as one kept in memory): {@link #STATS} floats at
 * {@code stats[c·STATS..]} — the short average of e², the short average of ln(1 + |z_H|), the recent peak
 * evidence, the age of the histograms ({@link EmpiricalTail}), the
 * daily profile, the history's mean (relative to the channel's origin) and variance, the episode average of
 * ln(1 + |z_H|); the five surprises'
 * histograms, {@link #HISTOGRAMS} 16-bit counts at {@code histograms[c·HISTOGRAMS..]}; the daily profile's
 * counts, {@link DailyProfile#SLOTS} bytes at {@code slotCounts[c·SLOTS..]}.
 *
 * <p>Not thread-safe (holds a reading's surprises as scratch): one per {@link Detector}.
 */
public final class AnomalyLikelihood {

  static final int EVIDENCES = 5;
  static final int MEAN_SQUARE = 0;
  static final int LEVEL = 1;
  static final int RECENT_PEAK = 2;
  static final int HISTORY_AGE = 3;
  static final int DAILY = 4;
  static final int HISTORY_MEAN = DAILY + DailyProfile.SIZE;
  static final int HISTORY_VARIANCE = HISTORY_MEAN + 1;
  static final int EPISODE_LEVEL = HISTORY_VARIANCE + 1;
  public static final int STATS = EPISODE_LEVEL + 1;
  public static final int HISTOGRAMS = EVIDENCES * EmpiricalTail.BINS;

  /** Tail probabilities below this are reported as it, so -ln p stays finite for the channel shares. */
  static final double MIN_TAIL = Double.MIN_NORMAL;

  private final double shortAlpha;
  private final EmpiricalTail history;
  private final double historyAlpha;
  private final double episodeAlpha;
  private final double peakKeep;
  private final int warmUpReadings;
  private final DetectorConfig.Combination combination;
  // Scratch: the surprises of a reading, and what the last update found (read by explain()).
  private final double[] surprise = new double[EVIDENCES];
  private final double[] deviation = new double[EVIDENCES];
  private final double[] referenceMean = new double[EVIDENCES];
  private final double[] referenceSpread = new double[EVIDENCES];
  private final double[] dailyReference = new double[2];
  private int deciding;
  private double decidingTail;

  public AnomalyLikelihood(DetectorConfig config) {
    this.shortAlpha = alpha(config.shortHalfLife());
    this.history = new EmpiricalTail(config.historyHalfLife());
    this.historyAlpha = alpha(config.historyHalfLife());
    this.episodeAlpha = alpha(config.adaptHalfLife());
    this.peakKeep = 1 - episodeAlpha;
    this.warmUpReadings = config.warmUpReadings();
    this.combination = config.combination();
  }

  /** Weight of a new value in an exponential average with this half-life: 1 - 2^(-1/halfLife). */
  static double alpha(double halfLife) {
    return 1 - Math.pow(2, -1 / halfLife);
  }

  /**
   * The tail probability of the {@code n}-th reading (n ≥ 1) of channel {@code c}, from its standardised
   * error {@code error}, its raw {@code value} relative to the channel's origin with the sensor's overall
   * {@code scale} (the normaliser's), its time and the time since the reading before; each
   * surprise judged against the history before it, then folded in.
   */
  public double update(float[] stats, char[] histograms, byte[] slotCounts, int c,
      double error, double value, double scale, long timestampMillis, long gapMillis, long n) {
    int at = c * STATS;
    double weight = Math.max(1.0 / n, shortAlpha);
    average(stats, at + MEAN_SQUARE, error * error, weight);
    double spread = Math.max(Math.sqrt(stats[at + HISTORY_VARIANCE]), DailyProfile.RELATIVE_SPREAD_FLOOR * scale);
    double zHistory = n == 1 ? 0 : (value - stats[at + HISTORY_MEAN]) / spread;
    double historyMean = stats[at + HISTORY_MEAN];
    foldIn(stats, at + HISTORY_MEAN, value, Math.max(1.0 / n, historyAlpha));
    double level = Math.log1p(Math.abs(zHistory));
    average(stats, at + LEVEL, level, weight);
    average(stats, at + EPISODE_LEVEL, level, Math.max(1.0 / n, episodeAlpha));
    double daily = DailyProfile.deviation(stats, at + DAILY, slotCounts, c * DailyProfile.SLOTS, value, scale,
        timestampMillis, gapMillis, dailyReference);
    referenceMean[3] = dailyReference[0];
    referenceSpread[3] = dailyReference[1];
    surprise[0] = Math.log1p(Math.abs(error));
    surprise[1] = Math.log1p(Math.sqrt(stats[at + MEAN_SQUARE]));
    surprise[2] = stats[at + LEVEL];
    surprise[3] = Math.log1p(Math.abs(daily));
    surprise[4] = stats[at + EPISODE_LEVEL];
    // The level evidences judge averages; this reading's own distance from the history says more to a reader.
    deviation[0] = error;
    deviation[1] = Math.sqrt(stats[at + MEAN_SQUARE]);
    deviation[2] = deviation[4] = zHistory;
    deviation[3] = daily;
    referenceMean[2] = referenceMean[4] = historyMean;
    referenceSpread[2] = referenceSpread[4] = spread;
    double minTail = judge(stats, histograms, at, c * HISTOGRAMS, n);
    return repeatDamped(stats, at, Math.min(1, EVIDENCES * minTail));
  }

  /**
   * What decided the last {@link #update}: its evidence, deviation and reference. The errors' reference is the
   * network's band, which only the caller knows ({@code expected}, {@code lower}, {@code upper}); the others'
   * are relative to the channel's origin and {@code bandSigmas} spreads wide.
   */
  Explanation explain(String channel, double origin, double bandSigmas, double expected, double lower, double upper) {
    if (decidingTail >= Explanation.UNUSUAL_TAIL) {
      return new Explanation(Explanation.Reason.NONE, channel, 0, expected, lower, upper);
    }
    Explanation.Reason reason = Explanation.Reason.values()[deciding];
    if (reason == Explanation.Reason.SUDDEN_ERROR || reason == Explanation.Reason.ERROR_RUN) {
      return new Explanation(reason, channel, deviation[deciding], expected, lower, upper);
    }
    double mean = origin + referenceMean[deciding];
    double halfBand = bandSigmas * referenceSpread[deciding];
    return new Explanation(reason, channel, deviation[deciding], mean, mean - halfBand, mean + halfBand);
  }

  /**
   * The smallest tail of the {@link #surprise}s, each under its own history, then the surprises folded
   * into the histories — after the warm-up: while the normaliser and the network settle, their errors say
   * nothing of the sensor. A forged age is clamped to the histograms' range.
   */
  private double judge(float[] stats, char[] histograms, int at, int from, long n) {
    int age = (int) Math.max(0, Math.min(history.period(), stats[at + HISTORY_AGE]));
    double perUnit = history.surprisesPerUnit(age);
    double minTail = 1;
    deciding = 0;
    for (int k = 0; k < EVIDENCES; k++) {
      double tail = history.tail(histograms, from + k * EmpiricalTail.BINS, perUnit, surprise[k]);
      if (tail < minTail) {
        minTail = tail;
        deciding = k;
      }
    }
    decidingTail = minTail;
    if (n > warmUpReadings) {
      if (age == history.period()) {
        for (int k = 0; k < EVIDENCES; k++) history.renormalise(histograms, from + k * EmpiricalTail.BINS);
        age = 0;
      }
      age++;
      int units = history.units(age);
      for (int k = 0; k < EVIDENCES; k++) {
        history.add(histograms, from + k * EmpiricalTail.BINS, units, surprise[k]);
      }
      stats[at + HISTORY_AGE] = age;
    }
    return minTail;
  }

  /**
   * A tail no more extreme than the recent peak (the largest evidence -ln p, forgetting with half-life
   * {@code adaptHalfLife}) brings no news, and counts with half its evidence, √p. A rising episode
   * still rises; its echoes stop raising one alarm after another.
   */
  private double repeatDamped(float[] stats, int at, double tail) {
    double evidence = evidence(tail);
    double peak = stats[at + RECENT_PEAK];
    stats[at + RECENT_PEAK] = SensorState.narrow(Math.max(evidence, peak * peakKeep));
    return evidence <= peak ? Math.sqrt(tail) : tail;
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

  /** Folds {@code x} with {@code weight} into the exponential average at {@code stats[at]}. */
  private static void average(float[] stats, int at, double x, double weight) {
    stats[at] = SensorState.narrow(stats[at] + weight * (x - stats[at]));
  }

  /**
   * Folds {@code x} with {@code weight} into the exponentially weighted mean at {@code stats[at]} and variance
   * at {@code stats[at + 1]} (West's update: the exact population variance while weight = 1/n).
   */
  static void foldIn(float[] stats, int at, double x, double weight) {
    double delta = x - stats[at];
    stats[at] = SensorState.narrow(stats[at] + weight * delta);
    stats[at + 1] = SensorState.narrow(OnlineNormaliser.spreadUpdate(stats[at + 1], weight, delta));
  }

  /** -ln p, the evidence against normal in nats; +0 rather than -0 for p = 1. */
  private static double evidence(double tail) {
    return Math.max(0, -Math.log(tail));
  }
}
