package io.streamlstm.detect;

/**
 * How rare a surprise is among the ones a sensor has shown before: a histogram that forgets with a
 * half-life, read as an upper tail probability. Nonparametric, so one calibration fits every sensor —
 * heavy-tailed errors, the regular big errors of a square wave, the zeros of a flat line — where a
 * fitted Gaussian over- or under-states the tail of some, and a single threshold across sensors then
 * means different things on each.
 *
 * <p>Surprises are ≥ 0 on a log scale, {@code x = ln(1 + s)} of a size {@code s} (an error in σ, a
 * deviation in spreads, an evidence in nats), counted in {@link #BINS} bins of width {@link #WIDTH};
 * the last bin takes everything above it.
 *
 * <p>Stored small: each bin is a 16-bit fixed-point count (a {@code char}) and the forgetting is lazy.
 * After the a-th addition since the last renormalisation (its <i>age</i>), a bin holding {@code b}
 * units stands for {@code b · keep^age / unit} surprises (keep = 2^(-1/halfLife)), and the next addition adds
 * {@code unit / keep^(age+1)} units instead of multiplying every bin by keep. Every {@link #period()}
 * additions, one half-life rounded up, the bins are scaled back to age 0 (halved, rounded to nearest even,
 * so a lone old count fades to nothing as it would in a float). The unit is the largest that cannot
 * overflow: 11 units a surprise at a history half-life of 2000 additions, 2.1 at {@link #MAX_HALF_LIFE}.
 * Several histograms that count in step share one age. Where the tail starts to fall beyond the counts
 * is the highest bin ever counted, which the caller keeps.
 */
final class EmpiricalTail {

  static final int BINS = 24;
  static final double WIDTH = 0.25;
  /** Longest history half-life, in additions, the 16-bit counts resolve to a surprise. */
  static final double MAX_HALF_LIFE = 10_000;

  private static final int MAX_UNITS = 0xFFFF;
  /** {@code s = e^x - 1} at the top of each bin, for the fall beyond the largest surprise seen. */
  private static final double[] TOP_SIZE = new double[BINS];

  static {
    for (int b = 0; b < BINS; b++) TOP_SIZE[b] = Math.expm1((b + 1) * WIDTH);
  }

  private final int period;
  private final double renormalise;
  /** perUnit[age] = keep^age / unit, surprises a unit stands for at each age (0..period). */
  private final double[] perUnit;
  /** units[age] = unit / keep^age rounded, units a surprise adds at each age (1..period). */
  private final int[] units;

  /** Counts forgetting with this half-life, in additions. */
  EmpiricalTail(double halfLife) {
    double keep = 1 - AnomalyLikelihood.alpha(halfLife);
    this.period = (int) Math.max(1, Math.ceil(halfLife));
    // Exactly 1/2 for a whole half-life, so a count halves to a tie and ties round to even: no drift down.
    this.renormalise = Math.pow(2, -period / halfLife);
    // The largest total in units: the forgetful total tends to 1/(1-keep) surprises, held at up to keep^-period
    // units each, plus half a unit of rounding per addition.
    double unit = Math.max(1, (MAX_UNITS - period / 2.0) * (1 - keep) * renormalise);
    this.perUnit = new double[period + 1];
    this.units = new int[period + 1];
    for (int age = 0; age <= period; age++) {
      perUnit[age] = Math.pow(keep, age) / unit;
      units[age] = (int) Math.rint(unit / Math.pow(keep, age));
    }
  }

  /** Additions between renormalisations. */
  int period() {
    return period;
  }

  /** Surprises one unit stands for at this age (0..period). */
  double surprisesPerUnit(int age) {
    return perUnit[age];
  }

  /** Units one surprise adds at this age (1..period). */
  int units(int age) {
    return units[age];
  }

  /**
   * The share of past surprises at or above {@code x} in the histogram at {@code bins[at..at+BINS)}, whose
   * units stand for {@code perUnit} surprises each ({@link #surprisesPerUnit}), counting the part of x's
   * bin above it (values spread evenly in a bin), with half a pseudo-count so an unseen surprise has a
   * small, not zero, probability. Beyond the {@code highest} bin ever counted (-1: none), where counts say
   * nothing, it falls exponentially in the size {@code s}: by e for each σ, spread or nat further, so among
   * new records the larger is the rarer and a far record is far rarer (down to
   * {@link AnomalyLikelihood#MIN_TAIL}).
   */
  double tail(char[] bins, int at, double perUnit, int highest, double x) {
    int bin = bin(x);
    long total = 0;
    long aboveBin = 0;
    for (int b = 0; b < BINS; b++) {
      int count = bins[at + b];
      total += count;
      if (b > bin) aboveBin += count;
    }
    double above = (aboveBin + bins[at + bin] * (1 - Math.min(1, (x - bin * WIDTH) / WIDTH))) * perUnit;
    double p = (above + 0.5) / (total * perUnit + 1);
    // Within the bins seen, skip the costly expm1: beyond can only be positive past the top of the highest.
    if (highest < 0 || x <= (highest + 1) * WIDTH) return p;
    double beyond = Math.expm1(x) - TOP_SIZE[highest];
    return beyond > 0 ? Math.max(p * Math.exp(-beyond), AnomalyLikelihood.MIN_TAIL) : p;
  }

  /**
   * Counts {@code x} in the histogram at {@code bins[at..]} as {@code units} ({@link #units} of its age),
   * after {@link #renormalise} when the previous addition was of age {@link #period()}; returns x's bin.
   */
  int add(char[] bins, int at, int units, double x) {
    int bin = bin(x);
    bins[at + bin] = (char) Math.min(MAX_UNITS, bins[at + bin] + units);
    return bin;
  }

  /** Scales the counts of age {@link #period()} back to age 0. */
  void renormalise(char[] bins, int at) {
    for (int b = at; b < at + BINS; b++) bins[b] = (char) Math.rint(bins[b] * renormalise);
  }

  private static int bin(double x) {
    return (int) Math.min(BINS - 1, Math.max(0, x / WIDTH));
  }
}
