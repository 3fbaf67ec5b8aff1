package io.streamlstm.detect;

/**
 * What an {@link Evidence} judged a reading against, for the score's {@link Explanation}: the reading's signed
 * deviation in the evidence's own spreads, and the reference — a mean (relative to the channel's origin) and a
 * spread, or the forecast's band when the evidence judges the forecast's errors. Reused, never kept.
 */
final class Finding {
  double deviation;
  /** True when the reference is the forecast's band; then the mean and spread below are unused. */
  boolean forecastBand;
  double referenceMean;
  double referenceSpread;
  /** False when the evidence may count the reading into its history but must not be what flags it. */
  boolean mayDecide;

  void forecast(double deviation) {
    this.deviation = deviation;
    this.forecastBand = true;
    this.mayDecide = true;
  }

  void reference(double deviation, double mean, double spread) {
    this.deviation = deviation;
    this.forecastBand = false;
    this.referenceMean = mean;
    this.referenceSpread = spread;
    this.mayDecide = true;
  }
}
