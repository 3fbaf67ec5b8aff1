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
 * the last bin takes everything above it. The bins reach s ≈ 3000, beyond the largest forecast error there is
 * (a reading clipped to ±8 normaliser scales, σ at least 0.01 of one: about 1600), so a sensor that often errs by
 * hundreds of σ, as a flat line with the odd dip does, has those errors ranked among themselves. With 24 bins, whose
 * counts ended at 400 σ, every larger error lay beyond them and was taken for a new record, an alarm each time.
 *
 * <p>Stored small: each bin is a 16-bit fixed-point count (a {@code char}) and the forgetting is lazy.
 * After the a-th addition since the last renormalisation (its <i>age</i>), a bin holding {@code b}
 * units stands for {@code b · keep^age / unit} surprises (keep = 2^(-1/halfLife)), and the next addition adds
 * {@code unit / keep^(age+1)} units instead of multiplying every bin by keep. Every {@link #period()}
 * additions, one half-life rounded up, the bins are scaled back to age 0 (halved, rounded to nearest even,
 * so a lone old count fades to nothing as it would in a float). The unit is the largest that cannot
 * overflow: 11 units a surprise at a history half-life of 2000 additions, 2.1 at {@link #MAX_HALF_LIFE}.
 * Several histograms that count in step share one age.
 */
final class EmpiricalTail {

  static final int BINS = 32;
  static final double WIDTH = 0.25;
  /** Longest history half-life, in additions, the 16-bit counts resolve to a surprise. */
  static final double MAX_HALF_LIFE = 10_000;

  /** The upper share of a sensor's surprises whose mean excess scales the tail beyond the counts. */
  static final double TAIL_SHARE = 0.05;
  /**
   * Smallest scale of that tail: one bin, since the counts cannot resolve a mean excess finer than their bins
   * (all of a tame sensor's top surprises in one bin would otherwise say it declines infinitely fast).
   */
  static final double MIN_EXCESS_SCALE = WIDTH;

  private static final int MAX_UNITS = 0xFFFF;

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
   * small, not zero, probability.
   *
   * <p>Beyond the top of the highest bin that holds counts, where counts can no longer rank, the tail is
   * extrapolated as extreme-value theory does over a high threshold: exponential in x (a generalized Pareto
   * tail of shape 0 in ln(1 + s), so a Pareto tail in the size s) with the mean excess of the sensor's own
   * upper {@link #TAIL_SHARE} of surprises as its scale, from the pseudo-count's level at the top. So a larger
   * surprise is always the rarer, a sensor whose big surprises spread far declines gently and a tame one
   * steeply, and the probability stays far above {@link AnomalyLikelihood#MIN_TAIL} for any real error.
   */
  double tail(char[] bins, int at, double perUnit, double x) {
    int bin = bin(x);
    long total = 0;
    long aboveBin = 0;
    int top = -1;
    for (int b = 0; b < BINS; b++) {
      int count = bins[at + b];
      total += count;
      if (b > bin) aboveBin += count;
      if (count > 0) top = b;
    }
    double topX = (top + 1) * WIDTH;
    if (top >= 0 && x > topX) {
      double atTop = 0.5 / (total * perUnit + 1);
      return Math.max(atTop * Math.exp(-(x - topX) / excessScale(bins, at, total)), AnomalyLikelihood.MIN_TAIL);
    }
    double above = (aboveBin + bins[at + bin] * (1 - Math.min(1, (x - bin * WIDTH) / WIDTH))) * perUnit;
    return (above + 0.5) / (total * perUnit + 1);
  }

  /**
   * The mean excess of the upper {@link #TAIL_SHARE} of the counts (bin centres) over the lower edge of the bin
   * where that upper share starts, at least {@link #MIN_EXCESS_SCALE}.
   */
  private static double excessScale(char[] bins, int at, long total) {
    long needed = (long) Math.ceil(TAIL_SHARE * total);
    long counted = 0;
    int from = BINS - 1;
    while (from > 0 && counted + bins[at + from] < needed) counted += bins[at + from--];
    double threshold = from * WIDTH;
    double excess = 0;
    long n = 0;
    for (int b = from; b < BINS; b++) {
      excess += bins[at + b] * ((b + 0.5) * WIDTH - threshold);
      n += bins[at + b];
    }
    return Math.max(MIN_EXCESS_SCALE, excess / n);
  }

  /**
   * Counts {@code x} in the histogram at {@code bins[at..]} as {@code units} ({@link #units} of its age),
   * after {@link #renormalise} when the previous addition was of age {@link #period()}.
   */
  void add(char[] bins, int at, int units, double x) {
    int bin = bin(x);
    bins[at + bin] = (char) Math.min(MAX_UNITS, bins[at + bin] + units);
  }

  /** Scales the counts of age {@link #period()} back to age 0. */
  void renormalise(char[] bins, int at) {
    for (int b = at; b < at + BINS; b++) bins[b] = (char) Math.rint(bins[b] * renormalise);
  }

  private static int bin(double x) {
    return (int) Math.min(BINS - 1, Math.max(0, x / WIDTH));
  }
}
