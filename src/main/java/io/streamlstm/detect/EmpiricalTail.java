package io.streamlstm.detect;

/**
 * How rare a surprise is among the ones a sensor has shown before: a histogram that forgets with a
 * half-life, read as an upper tail probability. Nonparametric, so one calibration fits every sensor —
 * heavy-tailed errors, the regular big errors of a square wave, the zeros of a flat line — where a
 * fitted Gaussian over- or under-states the tail of some, and a single threshold across sensors then
 * means different things on each.
 *
 * <p>Surprises are ≥ 0 on a log scale, {@code x = ln(1 + s)} of a size {@code s} (an error in σ, a
 * deviation in spreads, an evidence in nats). At {@code stats[at]}: the forgetful
 * count of surprises seen, then {@link #BINS} bin counts of width {@link #WIDTH}; the last bin takes
 * everything above it.
 */
final class EmpiricalTail {

  static final int BINS = 24;
  static final double WIDTH = 0.25;
  static final int SIZE = 1 + BINS;

  private EmpiricalTail() {}

  /**
   * The share of past surprises at or above {@code x}, counting the part of x's bin above it (values
   * spread evenly in a bin), with half a pseudo-count so an unseen surprise has a small, not zero,
   * probability. Beyond the largest surprise seen, where counts say nothing, it falls exponentially
   * in the size {@code s}: by e for each σ, spread or nat further, so among new records the larger is
   * the rarer and a far record is far rarer (down to {@link AnomalyLikelihood#MIN_TAIL}).
   */
  static double tail(double[] stats, int at, double x) {
    int bin = bin(x);
    double above = stats[at + 1 + bin] * (1 - Math.min(1, (x - bin * WIDTH) / WIDTH));
    for (int b = bin + 1; b < BINS; b++) above += stats[at + 1 + b];
    double p = (above + 0.5) / (stats[at] + 1);
    double beyond = Math.expm1(x) - Math.expm1((highestNonEmpty(stats, at) + 1) * WIDTH);
    return beyond > 0 ? Math.max(p * Math.exp(-beyond), AnomalyLikelihood.MIN_TAIL) : p;
  }

  /** Forgets each count by {@code keep} (2^(-1/halfLife)), then counts {@code x}. */
  static void add(double[] stats, int at, double x, double keep) {
    for (int j = at; j < at + SIZE; j++) stats[j] *= keep;
    stats[at] += 1;
    stats[at + 1 + bin(x)] += 1;
  }

  /** The highest bin holding any count, -1 when none does. */
  private static int highestNonEmpty(double[] stats, int at) {
    for (int b = BINS - 1; b >= 0; b--) {
      if (stats[at + 1 + b] > 0) return b;
    }
    return -1;
  }

  private static int bin(double x) {
    return (int) Math.min(BINS - 1, Math.max(0, x / WIDTH));
  }
}
