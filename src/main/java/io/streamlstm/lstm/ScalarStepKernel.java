package io.streamlstm.lstm;

/**
 * The LSTM (or RNN) step in float32, one loop per equation of the lecture:
 * <pre>
 *   f = σ(W_f·[h, x] + b_f)      forget valve: how much of C_{t-1} survives
 *   i = σ(W_i·[h, x] + b_i)      memory valve: how much new memory is admitted
 *   g = tanh(W_g·[h, x] + b_g)   the candidate memory
 *   C = f⊙C_{t-1} + i⊙g
 *   o = σ(W_o·[h, x] + b_o)      output valve
 *   h = o⊙tanh(C)
 * </pre>
 * and for the RNN baseline {@code h = tanh(W·[h, x] + b)}. The head then reads the top layer's h:
 * {@code μ = W_mu·h + b_mu}, {@code σ = softplus(W_s·h + b_s) + SIGMA_MIN}.
 */
public final class ScalarStepKernel implements StepKernel {

  private final Architecture arch;
  private final Layout layout;
  private final float[] p;
  // Scratch, reused every call: the concatenated [h, x] of a layer, the gate pre-activations, new h and C.
  private final float[] hx;
  private final float[] gates;
  private final float[] next;
  private final float[] meanOut;
  private final float[] sigmaOut;

  public ScalarStepKernel(Network network) {
    this.arch = network.architecture();
    this.layout = network.layout();
    double[] source = network.parameters();
    this.p = new float[source.length];
    for (int k = 0; k < source.length; k++) p[k] = (float) source[k];
    int h = arch.hiddenSize();
    this.hx = new float[h + Math.max(h, arch.inputSize())];
    this.gates = new float[arch.gatesPerLayer() * h];
    this.next = new float[arch.stateSize()];
    this.meanOut = new float[arch.inputSize()];
    this.sigmaOut = new float[arch.inputSize()];
  }

  @Override
  public Architecture architecture() {
    return arch;
  }

  @Override
  public boolean step(float[] state, float[] x, float[] mean, float[] sigma) {
    int h = arch.hiddenSize();
    float[] input = x;
    int inputOffset = 0;
    for (int l = 0; l < arch.layers(); l++) {
      int hAt = l * 2 * h;
      int cAt = hAt + h;
      int in = arch.layerInputSize(l);
      // [h_{t-1}, x_t] of this layer; the layer below's new h is its x.
      System.arraycopy(state, hAt, hx, 0, h);
      System.arraycopy(input, inputOffset, hx, h, in);
      int n = h + in;
      for (int gate = 0; gate < arch.gatesPerLayer(); gate++) {
        affine(layout.gateWeights(l, gate), layout.gateBiases(l, gate), n, gates, gate * h, h);
      }
      if (arch.cell() == CellType.LSTM) {
        for (int j = 0; j < h; j++) {
          float f = Activations.sigmoid(gates[Layout.FORGET * h + j]);
          float i = Activations.sigmoid(gates[Layout.INPUT * h + j]);
          float g = Activations.tanh(gates[Layout.CANDIDATE * h + j]);
          float o = Activations.sigmoid(gates[Layout.OUTPUT * h + j]);
          float c = f * state[cAt + j] + i * g;
          next[cAt + j] = c;
          next[hAt + j] = o * Activations.tanh(c);
        }
      } else {
        for (int j = 0; j < h; j++) {
          next[hAt + j] = Activations.tanh(gates[j]);
          next[cAt + j] = 0f;
        }
      }
      input = next;
      inputOffset = hAt;
    }
    int top = (arch.layers() - 1) * 2 * h;
    System.arraycopy(next, top, hx, 0, h);
    affine(layout.headMeanWeights(), layout.headMeanBias(), h, meanOut, 0, arch.inputSize());
    affine(layout.headScaleWeights(), layout.headScaleBias(), h, sigmaOut, 0, arch.inputSize());
    for (int k = 0; k < arch.inputSize(); k++) {
      sigmaOut[k] = Activations.softplus(sigmaOut[k]) + (float) Network.SIGMA_MIN;
    }
    if (!allFinite(next) || !allFinite(meanOut) || !allFinite(sigmaOut)) return false;
    System.arraycopy(next, 0, state, 0, next.length);
    System.arraycopy(meanOut, 0, mean, 0, meanOut.length);
    System.arraycopy(sigmaOut, 0, sigma, 0, sigmaOut.length);
    return true;
  }

  /** out[outAt + r] = b[r] + Σ_k W[r, k]·hx[k] for r in [0, rows): W row-major (rows, n) at w. */
  private void affine(int w, int b, int n, float[] out, int outAt, int rows) {
    for (int r = 0; r < rows; r++) {
      float sum = p[b + r];
      int row = w + r * n;
      for (int k = 0; k < n; k++) sum = Math.fma(p[row + k], hx[k], sum);
      out[outAt + r] = sum;
    }
  }

  private static boolean allFinite(float[] values) {
    for (float v : values) {
      if (!Float.isFinite(v)) return false;
    }
    return true;
  }
}
