package io.streamlstm.lstm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded sensor-like series for training the default model: the behaviour of real sensors, most of which
 * a detector must not flag. Each series draws its own mix of
 * <ul>
 *   <li>a daily cycle of 24 to 720 readings (sampled hourly to every two minutes): a sine with a second
 *       harmonic, a square wave (on/off operation), a sawtooth (fill and empty), or none; and a weekly cycle;
 *   <li>a linear trend, and for some a random walk (a level that wanders);
 *   <li>autocorrelated noise, AR(1), Gaussian or heavy-tailed (Student t);
 *   <li>regime changes: level shifts and changes of the noise variance;
 *   <li>isolated spikes of a few readings, so the network learns heavy tails and learns not to chase them;
 *   <li>quantised readings (a coarse sensor) and flat stretches (a sensor holding its last value).
 * </ul>
 * Levels and scales span decades, as real sensors do; the online normaliser takes them out.
 */
public final class SyntheticSeries {

  private static final int[] DAY_PERIODS = {24, 48, 96, 144, 288, 720};

  private enum Cycle { SINE, SQUARE, SAWTOOTH, NONE }

  private SyntheticSeries() {}

  /** {@code count} series of {@code length} readings; series k depends only on the seed and k. */
  public static List<double[]> generate(int count, int length, long seed) {
    SplittableRandom master = new SplittableRandom(seed);
    List<double[]> all = new ArrayList<>(count);
    for (int k = 0; k < count; k++) all.add(one(master.split(), length));
    return all;
  }

  private static double[] one(SplittableRandom random, int length) {
    double scale = StrictMath.pow(10, random.nextDouble(-1, 3));
    double level = scale * random.nextDouble(-2, 10);
    int day = DAY_PERIODS[random.nextInt(DAY_PERIODS.length)];
    Cycle cycle = pick(random, 0.5, 0.2, 0.15);
    double dayAmplitude = cycle == Cycle.NONE ? 0 : scale * random.nextDouble(0, 1.5);
    double harmonicAmplitude = dayAmplitude * random.nextDouble(0, 0.5);
    double duty = random.nextDouble(0.2, 0.8);
    double weekAmplitude = scale * random.nextDouble(0, 0.5);
    double phase = random.nextDouble(0, 1);
    double slope = random.nextBoolean() ? scale * random.nextDouble(-3, 3) / length : 0;
    double noise = scale * random.nextDouble(0.05, 0.5);
    double persistence = random.nextDouble(0, 0.9);
    // Student t with ν degrees of freedom, 0 for Gaussian noise.
    int tailDegrees = random.nextInt(10) < 3 ? 3 + random.nextInt(4) : 0;
    double walkStep = random.nextInt(4) == 0 ? noise * random.nextDouble(0.02, 0.2) : 0;

    // Regime changes: each change point shifts the level or rescales the noise from there on.
    double[] shift = new double[length];
    double[] noiseFactor = new double[length];
    Arrays.fill(noiseFactor, 1);
    int changes = random.nextInt(4);
    for (int c = 0; c < changes; c++) {
      int at = random.nextInt(length);
      boolean levelShift = random.nextBoolean();
      double size = levelShift ? noise * random.nextDouble(1, 5) * sign(random) : 0;
      double factor = levelShift ? 1 : random.nextDouble(0.3, 3);
      for (int t = at; t < length; t++) {
        shift[t] += size;
        noiseFactor[t] *= factor;
      }
    }

    double[] x = new double[length];
    double ar = 0;
    double walk = 0;
    for (int t = 0; t < length; t++) {
      double turn = t / (double) day + phase; // days since the series' origin
      double seasonal =
          dayAmplitude * cycleShape(cycle, turn - Math.floor(turn), duty)
              + harmonicAmplitude * (cycle == Cycle.SINE ? StrictMath.sin(4 * Math.PI * turn) : 0)
              + weekAmplitude * StrictMath.sin(2 * Math.PI * turn / 7);
      // AR(1) scaled to unit stationary variance, so `noise` stays the noise's standard deviation.
      double innovation = tailDegrees == 0 ? gaussian(random) : studentT(random, tailDegrees);
      ar = persistence * ar + Math.sqrt(1 - persistence * persistence) * innovation;
      walk += walkStep * gaussian(random);
      x[t] = level + slope * t + seasonal + walk + shift[t] + noise * noiseFactor[t] * ar;
    }

    // Spikes: a glitch of 1-3 readings, then the series carries on as if it had not happened.
    if (random.nextBoolean()) {
      double rate = random.nextDouble(0, 0.003);
      for (int t = 0; t < length; t++) {
        if (random.nextDouble() >= rate) continue;
        double size = noise * random.nextDouble(3, 10) * sign(random);
        int width = 1 + random.nextInt(3);
        for (int s = t; s < Math.min(length, t + width); s++) x[s] += size;
      }
    }
    if (random.nextInt(10) < 3) {
      double step = noise * random.nextDouble(0.5, 2);
      for (int t = 0; t < length; t++) x[t] = step * Math.rint(x[t] / step);
    }
    if (random.nextInt(10) < 3) {
      int stretches = 1 + random.nextInt(3);
      for (int s = 0; s < stretches; s++) {
        int from = random.nextInt(length);
        int to = Math.min(length, from + day / 4 + random.nextInt(2 * day));
        for (int t = from + 1; t < to; t++) x[t] = x[from];
      }
    }
    return x;
  }

  /** The daily shape at {@code fraction} ∈ [0, 1) of the day, in [-1, 1]. */
  private static double cycleShape(Cycle cycle, double fraction, double duty) {
    return switch (cycle) {
      case SINE -> StrictMath.sin(2 * Math.PI * fraction);
      case SQUARE -> fraction < duty ? 1 : -1;
      case SAWTOOTH -> 2 * fraction - 1;
      case NONE -> 0;
    };
  }

  /** SINE, SQUARE, SAWTOOTH with the given probabilities, else NONE. */
  private static Cycle pick(SplittableRandom random, double sine, double square, double sawtooth) {
    double u = random.nextDouble();
    if (u < sine) return Cycle.SINE;
    if (u < sine + square) return Cycle.SQUARE;
    if (u < sine + square + sawtooth) return Cycle.SAWTOOTH;
    return Cycle.NONE;
  }

  private static double sign(SplittableRandom random) {
    return random.nextBoolean() ? 1 : -1;
  }

  /** Standard normal by Box–Muller with {@link StrictMath}, the same on every machine. */
  static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble(); // in (0, 1], so the log is finite
    double v = random.nextDouble();
    return StrictMath.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * Math.PI * v);
  }

  /** Student t with ν > 2 degrees of freedom, scaled to unit variance: Z / √(χ²_ν / ν) · √((ν − 2) / ν). */
  private static double studentT(SplittableRandom random, int degrees) {
    double chiSquare = 0;
    for (int k = 0; k < degrees; k++) {
      double z = gaussian(random);
      chiSquare += z * z;
    }
    return gaussian(random) / Math.sqrt(chiSquare / degrees) * Math.sqrt((degrees - 2.0) / degrees);
  }
}
