package io.streamlstm.detect;

/**
 * How much surer than usual the network is of its next forecast, by one gauge of it, as a factor on the sensor's own
 * σ, with how much it counts learned from this sensor's errors.
 *
 * <p>The network's σ, trained across many series, says little of this sensor's scale (so {@link AdaptivePredictor}
 * takes σ from the sensor's own errors), but its ups and downs say where in a pattern the network knows what comes
 * next; so does the size of the move it forecasts. Each such gauge q (positive) gets a scale of its own. Per sensor:
 * <pre>
 *   u_t = ln(q_t / usual q)                    usual: its average, half-life {@link #USUAL_HALF_LIFE} readings
 *   w   = ln(r² / v)                           the next error r against the sensor's mean square v
 *   γ   = cov(u, w) / (2 var(u)), in [0, {@link #MAX_EXPONENT}]   the slope of w on u, halved: σ ∝ e^{γu}
 *   factor = min(1, q_t / usual q)^γ
 * </pre>
 * A sensor whose errors do not follow the gauge gets γ ≈ 0 and the factor 1. The factor is never above 1: the
 * network may make the detector keener where it is surer than usual, never more lenient where it expects turbulence,
 * for the turbulence is often the anomaly itself (a noise burst's first reading raises the network's σ for the next).
 *
 * <p>State, a slice of the predictor's lane: the usual q and the steps it has seen; u of the last forecast; the
 * pairs (u, w) counted and their running means of u, w, u² and u·w (half-life {@link #PAIRS_HALF_LIFE}). All floats,
 * each weighted max(1/n, α) so a new sensor's first values count fully.
 */
final class ConfidenceScale {

  static final int SIZE = 8;
  static final double USUAL_HALF_LIFE = 200;
  static final double PAIRS_HALF_LIFE = 500;
  /** At most σ ∝ (q / usual)²: the gauge may vary less than the errors do, not more than twice less. */
  static final double MAX_EXPONENT = 2;

  static final int USUAL_GAUGE = 0;
  private static final int STEPS = 1;
  private static final int LAST_RATIO = 2;
  private static final int PAIRS = 3;
  private static final int MEAN_RATIO = 4;
  private static final int MEAN_ERROR = 5;
  private static final int MEAN_SQUARE_RATIO = 6;
  private static final int MEAN_PRODUCT = 7;
  /** Keeps ln(r² / v) finite for a forecast that was exact, or a sensor that never erred. */
  private static final double TINY = 1e-12;
  /** Below this variance of u the gauge has not moved enough to learn a slope from. */
  private static final double MIN_VARIANCE = 1e-6;
  private static final double USUAL_ALPHA = AnomalyLikelihood.alpha(USUAL_HALF_LIFE);
  private static final double PAIRS_ALPHA = AnomalyLikelihood.alpha(PAIRS_HALF_LIFE);

  private ConfidenceScale() {}

  /** w = ln(r² / v) of the last forecast's error: what every scale of the sensor regresses on its gauge. */
  static double logErrorRatio(double squaredError, double meanSquare) {
    return Math.log((squaredError + TINY) / (meanSquare + TINY));
  }

  /** The last forecast's error is in: one more pair (u, w), w its {@link #logErrorRatio}. */
  static void learn(float[] state, int at, double w) {
    double u = state[at + LAST_RATIO];
    float pairs = AnomalyLikelihood.counted(state[at + PAIRS]);
    double weight = Math.max(1.0 / pairs, PAIRS_ALPHA);
    AnomalyLikelihood.average(state, at + MEAN_RATIO, u, weight);
    AnomalyLikelihood.average(state, at + MEAN_ERROR, w, weight);
    AnomalyLikelihood.average(state, at + MEAN_SQUARE_RATIO, u * u, weight);
    AnomalyLikelihood.average(state, at + MEAN_PRODUCT, u * w, weight);
    state[at + PAIRS] = pairs;
  }

  /** The factor on the sensor's own σ for the forecast the network just made, whose gauge is {@code gauge} (> 0). */
  static double factor(float[] state, int at, double gauge) {
    float steps = AnomalyLikelihood.counted(state[at + STEPS]);
    AnomalyLikelihood.average(state, at + USUAL_GAUGE, gauge, Math.max(1.0 / steps, USUAL_ALPHA));
    state[at + STEPS] = steps;
    double logRatio = Math.log(gauge / state[at + USUAL_GAUGE]);
    state[at + LAST_RATIO] = (float) logRatio;
    // min(1, ratio)^γ, as e^{γ·ln ratio}: the logarithm is needed anyway, and most readings need no more.
    if (logRatio >= 0) return 1;
    double exponent = exponent(state, at);
    return exponent == 0 ? 1 : Math.exp(exponent * logRatio);
  }

  /** γ: the slope of w on u, halved, as the pairs so far give it. */
  static double exponent(float[] state, int at) {
    double meanRatio = state[at + MEAN_RATIO];
    double variance = state[at + MEAN_SQUARE_RATIO] - meanRatio * meanRatio;
    if (!(variance > MIN_VARIANCE)) return 0;
    double covariance = state[at + MEAN_PRODUCT] - meanRatio * state[at + MEAN_ERROR];
    return Math.max(0, Math.min(MAX_EXPONENT, covariance / variance / 2));
  }
}
