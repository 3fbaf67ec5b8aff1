package io.streamlstm.bench;

import io.streamlstm.lstm.Architecture;
import io.streamlstm.lstm.CellType;
import io.streamlstm.lstm.Layout;
import io.streamlstm.lstm.Network;

/**
 * The LSTM step as a first version would write it, the baseline of the kernel benchmarks: doubles,
 * plain multiply-adds, Math.exp and Math.tanh, no repacking; allocation-free like the kernels, so the
 * comparison is about arithmetic. One layer per call of {@link #step}, as many layers as the network.
 */
final class NaiveLstmStep {

  private final Architecture arch;
  private final Layout layout;
  private final double[] p;
  private final double[] hx;
  private final double[] next;

  NaiveLstmStep(Network network) {
    if (network.architecture().cell() != CellType.LSTM) throw new IllegalArgumentException("LSTM only");
    this.arch = network.architecture();
    this.layout = network.layout();
    this.p = network.parameters().clone();
    int h = arch.hiddenSize();
    this.hx = new double[h + Math.max(h, arch.inputSize())];
    this.next = new double[arch.stateSize()];
  }

  void step(double[] state, double[] x, double[] mean, double[] sigma) {
    int h = arch.hiddenSize();
    for (int l = 0; l < arch.layers(); l++) {
      int hAt = l * 2 * h;
      int cAt = hAt + h;
      int in = arch.layerInputSize(l);
      int n = h + in;
      System.arraycopy(state, hAt, hx, 0, h);
      if (l == 0) System.arraycopy(x, 0, hx, h, in);
      else System.arraycopy(next, hAt - 2 * h, hx, h, in);
      for (int j = 0; j < h; j++) {
        double f = sigmoid(row(layout.gateWeights(l, Layout.FORGET), layout.gateBiases(l, Layout.FORGET), j, n));
        double i = sigmoid(row(layout.gateWeights(l, Layout.INPUT), layout.gateBiases(l, Layout.INPUT), j, n));
        double g = Math.tanh(row(layout.gateWeights(l, Layout.CANDIDATE), layout.gateBiases(l, Layout.CANDIDATE), j, n));
        double o = sigmoid(row(layout.gateWeights(l, Layout.OUTPUT), layout.gateBiases(l, Layout.OUTPUT), j, n));
        double c = f * state[cAt + j] + i * g;
        next[cAt + j] = c;
        next[hAt + j] = o * Math.tanh(c);
      }
    }
    int top = (arch.layers() - 1) * 2 * h;
    System.arraycopy(next, top, hx, 0, h);
    for (int c = 0; c < arch.inputSize(); c++) {
      mean[c] = row(layout.headMeanWeights(), layout.headMeanBias(), c, h);
      sigma[c] = Network.sigma(row(layout.headScaleWeights(), layout.headScaleBias(), c, h));
    }
    System.arraycopy(next, 0, state, 0, next.length);
  }

  /** b[r] + Σ_k W[r, k]·hx[k], W row-major with n columns at p[w]. */
  private double row(int w, int b, int r, int n) {
    double sum = p[b + r];
    for (int k = 0; k < n; k++) sum += p[w + r * n + k] * hx[k];
    return sum;
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }
}
