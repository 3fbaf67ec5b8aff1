package io.streamlstm.lstm;

import java.util.SplittableRandom;

/**
 * A recurrent network's architecture and its parameters, all in one flat array laid out by
 * {@link Layout}. Training mutates {@link #parameters()} in place; everything else treats a network as
 * immutable once built.
 */
public final class Network {

  /** Lower bound of the predicted scale, in normalised units, so the likelihood never divides by 0. */
  public static final double SIGMA_MIN = 1e-2;

  private final Architecture architecture;
  private final Layout layout;
  private final double[] parameters;

  public Network(Architecture architecture, double[] parameters) {
    this.architecture = architecture;
    this.layout = new Layout(architecture);
    if (parameters.length != layout.size()) {
      throw new IllegalArgumentException(
          "expected " + layout.size() + " parameters for " + architecture + ", got " + parameters.length);
    }
    this.parameters = parameters;
  }

  /** Longest memory, in steps, that the chrono initialisation gives a fresh LSTM unit. */
  static final int CHRONO_HORIZON = 64;

  /**
   * Seeded initialisation: weights uniform in ±1/sqrt(n) (n = columns of the layer), biases 0 except an
   * LSTM's forget and memory valves, initialised "chrono" (Tallec and Ollivier, 2018): b_f = log(u) with u
   * uniform in [1, CHRONO_HORIZON - 1), b_i = -b_f, so each unit starts out keeping its memory for about u
   * steps. With b_f = 1 for all units every memory fades within a few steps, and lags of 20 are out of the
   * gradient's reach (see LongLagMemoryTest).
   */
  public static Network initialise(Architecture architecture, long seed) {
    Layout layout = new Layout(architecture);
    double[] p = new double[layout.size()];
    SplittableRandom random = new SplittableRandom(seed);
    int h = architecture.hiddenSize();
    for (int l = 0; l < architecture.layers(); l++) {
      int n = layout.columns(l);
      double bound = 1.0 / Math.sqrt(n);
      for (int gate = 0; gate < architecture.gatesPerLayer(); gate++) {
        int w = layout.gateWeights(l, gate);
        for (int k = 0; k < h * n; k++) p[w + k] = random.nextDouble(-bound, bound);
      }
      if (architecture.cell() == CellType.LSTM) {
        for (int j = 0; j < h; j++) {
          double forget = StrictMath.log(random.nextDouble(1, CHRONO_HORIZON - 1));
          p[layout.gateBiases(l, Layout.FORGET) + j] = forget;
          p[layout.gateBiases(l, Layout.INPUT) + j] = -forget;
        }
      }
    }
    double headBound = 1.0 / Math.sqrt(h);
    int c = architecture.inputSize();
    for (int k = 0; k < c * h; k++) {
      p[layout.headMeanWeights() + k] = random.nextDouble(-headBound, headBound);
      p[layout.headScaleWeights() + k] = random.nextDouble(-headBound, headBound);
    }
    return new Network(architecture, p);
  }

  public Architecture architecture() {
    return architecture;
  }

  public Layout layout() {
    return layout;
  }

  /** The live parameter array (not a copy): the trainer updates it in place. */
  public double[] parameters() {
    return parameters;
  }

  public Network copy() {
    return new Network(architecture, parameters.clone());
  }

  /** The head's scale from its pre-activation s: σ = softplus(s) + SIGMA_MIN, smooth and > 0. */
  public static double sigma(double s) {
    return softplus(s) + SIGMA_MIN;
  }

  /** log(1 + e^s) without overflow for large s. */
  public static double softplus(double s) {
    return s > 30 ? s : Math.log1p(Math.exp(s));
  }
}
