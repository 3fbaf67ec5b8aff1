package io.streamlstm.lstm;

/**
 * The LSTM (or RNN) step in float32, unit by unit, as the equations of the lecture:
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
 *
 * <p>This is the reference for {@link VectorStepKernel}, which must reproduce its bits: every sum
 * starts from the bias and adds the columns of [h, x] in ascending order with one fma each, C is
 * fma(f, C_{t-1}, i·g), and the activations are those of {@link Activations}.
 */
public final class ScalarStepKernel implements StepKernel {

  private final Architecture arch;
  private final Layout layout;
  private final float[] p;
  // Scratch, reused every call: the concatenated [h, x] of a layer, the new state (committed only when
  // finite), and the head's outputs.
  private final float[] hx;
  private final float[] next;
  private final float[] meanOut;
  private final float[] sigmaOut;

  public ScalarStepKernel(Network network) {
    this.arch = network.architecture();
    this.layout = network.layout();
    this.p = toFloats(network.parameters());
    int h = arch.hiddenSize();
    this.hx = new float[h + Math.max(h, arch.inputSize())];
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
    int inputAt = 0;
    for (int l = 0; l < arch.layers(); l++) {
      int hAt = l * 2 * h;
      int cAt = hAt + h;
      int in = arch.layerInputSize(l);
      // [h_{t-1}, x_t] of this layer; the layer below's new h is its x.
      System.arraycopy(state, hAt, hx, 0, h);
      System.arraycopy(input, inputAt, hx, h, in);
      int n = h + in;
      if (arch.cell() == CellType.LSTM) lstmLayer(l, n, state, hAt, cAt);
      else rnnLayer(l, n, hAt, cAt);
      input = next;
      inputAt = hAt;
    }
    head(p, layout, next, (arch.layers() - 1) * 2 * h, meanOut, sigmaOut);
    if (!allFinite(next, 0, next.length) || !allFinite(meanOut, 0, meanOut.length)
        || !allFinite(sigmaOut, 0, sigmaOut.length)) {
      return false;
    }
    System.arraycopy(next, 0, state, 0, next.length);
    System.arraycopy(meanOut, 0, mean, 0, meanOut.length);
    System.arraycopy(sigmaOut, 0, sigma, 0, sigmaOut.length);
    return true;
  }

  /**
   * The LSTM equations of layer l for each unit j. The four gate sums of a unit run side by side:
   * four independent fma chains keep the multiplier busy where one chain would wait on each fma.
   */
  private void lstmLayer(int l, int n, float[] state, int hAt, int cAt) {
    int wf = layout.gateWeights(l, Layout.FORGET), bf = layout.gateBiases(l, Layout.FORGET);
    int wi = layout.gateWeights(l, Layout.INPUT), bi = layout.gateBiases(l, Layout.INPUT);
    int wg = layout.gateWeights(l, Layout.CANDIDATE), bg = layout.gateBiases(l, Layout.CANDIDATE);
    int wo = layout.gateWeights(l, Layout.OUTPUT), bo = layout.gateBiases(l, Layout.OUTPUT);
    for (int j = 0; j < arch.hiddenSize(); j++) {
      float f = p[bf + j], i = p[bi + j], g = p[bg + j], o = p[bo + j];
      int row = j * n;
      for (int k = 0; k < n; k++) {
        f = Math.fma(p[wf + row + k], hx[k], f);
        i = Math.fma(p[wi + row + k], hx[k], i);
        g = Math.fma(p[wg + row + k], hx[k], g);
        o = Math.fma(p[wo + row + k], hx[k], o);
      }
      f = Activations.sigmoid(f);
      i = Activations.sigmoid(i);
      g = Activations.tanh(g);
      o = Activations.sigmoid(o);
      float c = Math.fma(f, state[cAt + j], i * g);
      next[cAt + j] = c;
      next[hAt + j] = o * Activations.tanh(c);
    }
  }

  /** h = tanh(W·[h, x] + b) of layer l for each unit j; C stays 0. */
  private void rnnLayer(int l, int n, int hAt, int cAt) {
    int w = layout.gateWeights(l, 0), b = layout.gateBiases(l, 0);
    for (int j = 0; j < arch.hiddenSize(); j++) {
      float a = p[b + j];
      for (int k = 0; k < n; k++) a = Math.fma(p[w + j * n + k], hx[k], a);
      next[hAt + j] = Activations.tanh(a);
      next[cAt + j] = 0f;
    }
  }

  /**
   * The Gaussian head over the top layer's h at {@code top[hAt..hAt+H)}: mean and σ per channel. Few
   * rows (one per channel), so the SIMD kernel uses this scalar code as well.
   */
  static void head(float[] p, Layout layout, float[] top, int hAt, float[] mean, float[] sigma) {
    int h = layout.architecture().hiddenSize();
    int channels = layout.architecture().inputSize();
    for (int c = 0; c < channels; c++) {
      float mu = p[layout.headMeanBias() + c];
      float s = p[layout.headScaleBias() + c];
      int meanRow = layout.headMeanWeights() + c * h;
      int scaleRow = layout.headScaleWeights() + c * h;
      for (int k = 0; k < h; k++) {
        mu = Math.fma(p[meanRow + k], top[hAt + k], mu);
        s = Math.fma(p[scaleRow + k], top[hAt + k], s);
      }
      mean[c] = mu;
      sigma[c] = Activations.softplus(s) + (float) Network.SIGMA_MIN;
    }
  }

  static boolean allFinite(float[] values, int from, int to) {
    for (int k = from; k < to; k++) {
      if (!Float.isFinite(values[k])) return false;
    }
    return true;
  }

  static float[] toFloats(double[] values) {
    float[] floats = new float[values.length];
    for (int k = 0; k < values.length; k++) floats[k] = (float) values[k];
    return floats;
  }
}
