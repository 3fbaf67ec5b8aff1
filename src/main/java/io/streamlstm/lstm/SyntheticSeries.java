package io.streamlstm.lstm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded sensor-like series for training the default model: the normal behaviour a detector must not
 * flag. Each series draws its own mix of
 * <ul>
 *   <li>a daily cycle of 24, 96, 144 or 288 readings with a second harmonic, and a weekly cycle;
 *   <li>a linear trend;
 *   <li>autocorrelated Gaussian noise, AR(1);
 *   <li>regime changes: level shifts and changes of the noise variance;
 *   <li>quantised readings (a coarse sensor) and flat stretches (a sensor holding its last value).
 * </ul>
 * Levels and scales span decades, as real sensors do; the online normaliser takes them out.
 */
public final class SyntheticSeries {

  private static final int[] DAY_PERIODS = {24, 96, 144, 288};

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
    double dayAmplitude = scale * random.nextDouble(0, 1.5);
    double harmonicAmplitude = dayAmplitude * random.nextDouble(0, 0.5);
    double weekAmplitude = scale * random.nextDouble(0, 0.5);
    double phase = random.nextDouble(0, 2 * Math.PI);
    double slope = random.nextBoolean() ? scale * random.nextDouble(-3, 3) / length : 0;
    double noise = scale * random.nextDouble(0.05, 0.5);
    double persistence = random.nextDouble(0, 0.9);

    // Regime changes: each change point shifts the level or rescales the noise from there on.
    double[] shift = new double[length];
    double[] noiseFactor = new double[length];
    Arrays.fill(noiseFactor, 1);
    int changes = random.nextInt(4);
    for (int c = 0; c < changes; c++) {
      int at = random.nextInt(length);
      boolean levelShift = random.nextBoolean();
      double size = levelShift ? noise * random.nextDouble(1, 5) * (random.nextBoolean() ? 1 : -1) : 0;
      double factor = levelShift ? 1 : random.nextDouble(0.3, 3);
      for (int t = at; t < length; t++) {
        shift[t] += size;
        noiseFactor[t] *= factor;
      }
    }

    double[] x = new double[length];
    double ar = 0;
    for (int t = 0; t < length; t++) {
      double angle = 2 * Math.PI * t / day + phase;
      double seasonal =
          dayAmplitude * StrictMath.sin(angle)
              + harmonicAmplitude * StrictMath.sin(2 * angle)
              + weekAmplitude * StrictMath.sin(angle / 7);
      // AR(1) scaled to unit stationary variance, so `noise` stays the noise's standard deviation.
      ar = persistence * ar + Math.sqrt(1 - persistence * persistence) * gaussian(random);
      x[t] = level + slope * t + seasonal + shift[t] + noise * noiseFactor[t] * ar;
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

  /** Standard normal by Box–Muller with {@link StrictMath}, the same on every machine. */
  static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble(); // in (0, 1], so the log is finite
    double v = random.nextDouble();
    return StrictMath.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * Math.PI * v);
  }
}
