package io.streamlstm.detect;

import io.streamlstm.lstm.Normalisation;

/**
 * Per-channel running mean and variance, so each sensor is judged in its own level and scale.
 *
 * <p>The weight of a new reading is {@code max(1/n, α)} with {@code α = 1 - 2^(-1/halfLife)}: an exact
 * average over the first readings, then an exponential forgetting that follows slow drift in level
 * and noise. A reading is normalised with the statistics of the readings before it (no look-ahead):
 * {@code z_t = clip((x_t - m_{t-1}) / s_{t-1})}. Training uses the same class, so the network sees the
 * same z-values it was trained on.
 */
public final class OnlineNormaliser {

  /** Smallest scale, relative to the level, so a flat series does not divide by 0. */
  static final double RELATIVE_SCALE_FLOOR = 1e-6;
  static final double ABSOLUTE_SCALE_FLOOR = 1e-9;

  private final double alpha;
  private final double clip;

  public OnlineNormaliser(Normalisation settings) {
    this.alpha = 1 - Math.pow(2, -1 / settings.halfLife());
    this.clip = settings.clip();
  }

  /** The scale s for a running mean and variance, never 0. */
  public double scale(double mean, double variance) {
    double floor = Math.max(ABSOLUTE_SCALE_FLOOR, RELATIVE_SCALE_FLOOR * Math.abs(mean));
    return Math.max(Math.sqrt(variance), floor);
  }

  public double normalise(double x, double mean, double variance) {
    double z = (x - mean) / scale(mean, variance);
    return Math.max(-clip, Math.min(clip, z));
  }

  /** Back to the sensor's units. */
  public double denormalise(double z, double mean, double variance) {
    return mean + z * scale(mean, variance);
  }

  /**
   * Folds reading {@code x} into the mean at {@code stats[at]} and variance at {@code stats[at + 1]};
   * {@code count} is the number of readings including this one.
   */
  public void update(double[] stats, int at, double x, long count) {
    double weight = Math.max(1.0 / count, alpha);
    // Readings near ±Double.MAX_VALUE overflow the differences: held at the largest finite values instead.
    double delta = finite(x - stats[at]);
    stats[at] = finite(stats[at] + weight * delta);
    // West's exponentially weighted variance update; equals the exact population variance while weight = 1/n.
    stats[at + 1] = spreadUpdate(stats[at + 1], weight, delta);
  }

  /**
   * West's update of an exponentially weighted variance by a reading {@code delta} from the old mean, with
   * this weight: 0 for a first reading (weight 1), whose 0 · ∞ would otherwise be NaN; at most
   * Double.MAX_VALUE.
   */
  static double spreadUpdate(double variance, double weight, double delta) {
    return weight == 1 ? 0 : finite((1 - weight) * (variance + weight * delta * delta));
  }

  private static double finite(double value) {
    return Math.max(-Double.MAX_VALUE, Math.min(Double.MAX_VALUE, value));
  }

  /** The z-values of a whole series, exactly as the stream would compute them one reading at a time. */
  public double[] normaliseSeries(double[] series) {
    double[] z = new double[series.length];
    double[] stats = new double[2];
    for (int t = 0; t < series.length; t++) {
      z[t] = t == 0 ? 0 : normalise(series[t], stats[0], stats[1]);
      update(stats, 0, series[t], t + 1);
    }
    return z;
  }
}
