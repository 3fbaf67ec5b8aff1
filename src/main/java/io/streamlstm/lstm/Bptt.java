package io.streamlstm.lstm;

import java.util.Arrays;

/**
 * Training pass in double precision: a forward over a window of steps that keeps every intermediate
 * value, and the backward that walks the same steps in reverse (back-propagation through time).
 *
 * <p>The forward is the inference step of {@link ScalarStepKernel}, equation for equation:
 * <pre>
 *   f = σ(W_f·[h, x] + b_f)   i = σ(W_i·[h, x] + b_i)   g = tanh(W_g·[h, x] + b_g)   o = σ(W_o·[h, x] + b_o)
 *   C = f⊙C_prev + i⊙g        h = o⊙tanh(C)                     (RNN: h = tanh(W·[h, x] + b))
 *   μ = W_mu·h + b_mu         σ = softplus(W_s·h + b_s) + SIGMA_MIN
 * </pre>
 * and the loss of step t is the Gaussian negative log-likelihood of the next reading y = z[t+1], per channel
 * {@code ½·log 2π + log σ + (y − μ)² / 2σ²}. The backward may weight each reading's gradient by σ^{2β}
 * (β-NLL, see the constructor).
 *
 * <p>Transcendentals go through {@link StrictMath}, never {@link Math}: {@code Math.exp} may differ in the
 * last bit between CPUs, and training must give a byte-identical model file on any machine.
 *
 * <p>Shapes below: T steps, L layers, H hidden units, n = H + in_l columns of layer l, C channels.
 */
final class Bptt {

  private static final double HALF_LOG_2PI = 0.5 * StrictMath.log(2 * Math.PI);

  private final Architecture arch;
  private final Layout layout;
  private final double[] p;
  private final int maxSteps;
  private final double beta;
  private final boolean lstm;

  // Forward cache, [t][l] of each:
  private final double[][][] hx; // (n)   [h_{t-1}, x_t] the gates read
  private final double[][][] act; // (G*H) f, i, g, o after their nonlinearity (RNN: h itself)
  private final double[][][] cPrev; // (H)   C_{t-1}
  private final double[][][] cell; // (H)   C_t
  private final double[][][] tanhC; // (H)   tanh(C_t)
  private final double[][][] hOut; // (H)   h_t
  // Head cache, [t] of each:
  private final double[][] mean; // (C)
  private final double[][] scalePre; // (C) s, before the softplus
  private final double[][] sigma; // (C)
  private final double[][] target; // (C) y = z[t+1]
  private final double[] stepLoss; // summed over channels
  private int steps;

  // Backward scratch.
  private final double[] dPre; // (G*H)
  private final double[] dHx; // (n)
  private final double[][] dhNext; // (L, H) gradient reaching h_{t-1} from step t
  private final double[][] dcNext; // (L, H) gradient reaching C_{t-1} from step t
  private final double[] dhAbove; // (H) gradient reaching a layer's h_t from the layer above or the head

  /**
   * @param beta β of β-NLL (Seitzer et al., 2022): the gradient of each reading's loss is weighted by
   *     σ^{2β}, σ held constant. 0 gives the exact gradient of the likelihood; with it, a network learns
   *     to explain errors by a wide σ before it learns the mean, and long memories are learnt very slowly.
   */
  Bptt(Network network, int maxSteps, double beta) {
    this.arch = network.architecture();
    this.layout = network.layout();
    this.p = network.parameters();
    this.maxSteps = maxSteps;
    this.beta = beta;
    this.lstm = arch.cell() == CellType.LSTM;
    int layers = arch.layers();
    int h = arch.hiddenSize();
    int c = arch.inputSize();
    int gatesH = arch.gatesPerLayer() * h;
    hx = new double[maxSteps][layers][];
    act = new double[maxSteps][layers][gatesH];
    cPrev = new double[maxSteps][layers][h];
    cell = new double[maxSteps][layers][h];
    tanhC = new double[maxSteps][layers][h];
    hOut = new double[maxSteps][layers][h];
    for (int t = 0; t < maxSteps; t++) {
      for (int l = 0; l < layers; l++) hx[t][l] = new double[layout.columns(l)];
    }
    mean = new double[maxSteps][c];
    scalePre = new double[maxSteps][c];
    sigma = new double[maxSteps][c];
    target = new double[maxSteps][c];
    stepLoss = new double[maxSteps];
    dPre = new double[gatesH];
    dHx = new double[h + Math.max(h, c)];
    dhNext = new double[layers][h];
    dcNext = new double[layers][h];
    dhAbove = new double[h];
  }

  /**
   * Runs steps {@code t = from .. from+count-1} of series {@code z} (T, C): input z[t], target z[t+1].
   * {@code state} (stateSize: h then C per layer) is read as the state before the first step and left
   * holding the state after the last.
   *
   * @return the loss summed over the steps and channels
   */
  double forward(double[] state, double[][] z, int from, int count) {
    if (count < 1 || count > maxSteps) {
      throw new IllegalArgumentException("steps must be 1.." + maxSteps + ", got " + count);
    }
    if (from + count >= z.length) {
      throw new IllegalArgumentException("step " + (from + count - 1) + " has no next reading");
    }
    int h = arch.hiddenSize();
    int channels = arch.inputSize();
    double total = 0;
    for (int s = 0; s < count; s++) {
      double[] below = z[from + s];
      for (int l = 0; l < arch.layers(); l++) {
        int hAt = l * 2 * h;
        int cAt = hAt + h;
        int in = arch.layerInputSize(l);
        double[] hxT = hx[s][l];
        double[] a = act[s][l];
        // hx = [h_{t-1}, x_t]                                        (n)
        System.arraycopy(state, hAt, hxT, 0, h);
        System.arraycopy(below, 0, hxT, h, in);
        // a = W·hx + b, every gate block at once                      (G*H) = (G*H, n)·(n)
        matmulForward(layout.gateWeights(l, 0), layout.gateBiases(l, 0), hxT, a, a.length);
        double[] hT = hOut[s][l];
        if (lstm) {
          double[] cp = cPrev[s][l];
          double[] cT = cell[s][l];
          double[] tc = tanhC[s][l];
          System.arraycopy(state, cAt, cp, 0, h);
          for (int j = 0; j < h; j++) {
            double f = sigmoid(a[Layout.FORGET * h + j]);
            double i = sigmoid(a[Layout.INPUT * h + j]);
            double g = tanh(a[Layout.CANDIDATE * h + j]);
            double o = sigmoid(a[Layout.OUTPUT * h + j]);
            a[Layout.FORGET * h + j] = f;
            a[Layout.INPUT * h + j] = i;
            a[Layout.CANDIDATE * h + j] = g;
            a[Layout.OUTPUT * h + j] = o;
            cT[j] = f * cp[j] + i * g; // C = f⊙C_prev + i⊙g
            tc[j] = tanh(cT[j]);
            hT[j] = o * tc[j]; // h = o⊙tanh(C)
          }
          System.arraycopy(cT, 0, state, cAt, h);
        } else {
          for (int j = 0; j < h; j++) {
            a[j] = tanh(a[j]); // h = tanh(W·[h, x] + b)
            hT[j] = a[j];
          }
        }
        System.arraycopy(hT, 0, state, hAt, h);
        below = hT;
      }
      // head over the top h: μ = W_mu·h + b_mu, s = W_s·h + b_s, σ = softplus(s) + SIGMA_MIN     (C)
      double[] top = hOut[s][arch.layers() - 1];
      matmulForward(layout.headMeanWeights(), layout.headMeanBias(), top, mean[s], channels);
      matmulForward(layout.headScaleWeights(), layout.headScaleBias(), top, scalePre[s], channels);
      double loss = 0;
      for (int c = 0; c < channels; c++) {
        sigma[s][c] = softplus(scalePre[s][c]) + Network.SIGMA_MIN;
        double y = z[from + s + 1][c];
        target[s][c] = y;
        double r = (y - mean[s][c]) / sigma[s][c];
        loss += HALF_LOG_2PI + StrictMath.log(sigma[s][c]) + 0.5 * r * r;
      }
      stepLoss[s] = loss;
      total += loss;
    }
    steps = count;
    return total;
  }

  /**
   * Adds {@code scale}·∂loss/∂parameters of the last forward to {@code grad} (same layout as the
   * parameters), each reading's share weighted by σ^{2β}. The state before the window is a constant:
   * truncated BPTT.
   */
  void backward(double[] grad, double scale) {
    int h = arch.hiddenSize();
    int channels = arch.inputSize();
    int top = arch.layers() - 1;
    for (double[] row : dhNext) Arrays.fill(row, 0);
    for (double[] row : dcNext) Arrays.fill(row, 0);
    for (int s = steps - 1; s >= 0; s--) {
      // head. loss = log σ + (y − μ)²/2σ², so dμ = (μ − y)/σ², dσ = 1/σ − (y − μ)²/σ³, ds = dσ·softplus'(s)
      Arrays.fill(dhAbove, 0);
      double[] hTop = hOut[s][top];
      for (int c = 0; c < channels; c++) {
        double sd = sigma[s][c];
        double weight = beta == 0 ? scale : scale * StrictMath.pow(sd, 2 * beta);
        double diff = mean[s][c] - target[s][c];
        double dMean = weight * diff / (sd * sd);
        double dSigma = weight * (1 / sd - diff * diff / (sd * sd * sd));
        double dScalePre = dSigma * sigmoid(scalePre[s][c]);
        matmulBackward(layout.headMeanWeights(), layout.headMeanBias(), hTop, dMean, c, grad, dhAbove);
        matmulBackward(layout.headScaleWeights(), layout.headScaleBias(), hTop, dScalePre, c, grad, dhAbove);
      }
      for (int l = top; l >= 0; l--) {
        double[] a = act[s][l];
        double[] dh = dhNext[l];
        // h_t feeds the layer above (or the head) at t and this layer at t+1.
        for (int j = 0; j < h; j++) dh[j] += dhAbove[j];
        if (lstm) {
          double[] cp = cPrev[s][l];
          double[] tc = tanhC[s][l];
          double[] dc = dcNext[l];
          for (int j = 0; j < h; j++) {
            double f = a[Layout.FORGET * h + j];
            double i = a[Layout.INPUT * h + j];
            double g = a[Layout.CANDIDATE * h + j];
            double o = a[Layout.OUTPUT * h + j];
            // h = o⊙tanh(C)
            double dO = dh[j] * tc[j];
            double dC = dc[j] + dh[j] * o * (1 - tc[j] * tc[j]);
            // C = f⊙C_prev + i⊙g
            double dF = dC * cp[j];
            double dI = dC * g;
            double dG = dC * i;
            dc[j] = dC * f; // now the gradient reaching C_{t-1}
            // f, i, o = σ(·), g = tanh(·)
            dPre[Layout.FORGET * h + j] = dF * f * (1 - f);
            dPre[Layout.INPUT * h + j] = dI * i * (1 - i);
            dPre[Layout.CANDIDATE * h + j] = dG * (1 - g * g);
            dPre[Layout.OUTPUT * h + j] = dO * o * (1 - o);
          }
        } else {
          // h = tanh(pre)
          for (int j = 0; j < h; j++) dPre[j] = dh[j] * (1 - a[j] * a[j]);
        }
        // pre = W·hx + b:  dW += dPre ⊗ hx,  db += dPre,  dhx = Wᵀ·dPre       (G*H, n)
        double[] hxT = hx[s][l];
        int n = hxT.length;
        Arrays.fill(dHx, 0, n, 0);
        for (int r = 0; r < a.length; r++) {
          matmulBackward(layout.gateWeights(l, 0), layout.gateBiases(l, 0), hxT, dPre[r], r, grad, dHx);
        }
        // hx = [h_{t-1}, x_t]: the h part flows to step t-1, the x part to the layer below at t.
        System.arraycopy(dHx, 0, dh, 0, h);
        if (l > 0) System.arraycopy(dHx, h, dhAbove, 0, h);
      }
    }
  }

  /** Loss of step {@code s} of the last forward, summed over channels. */
  double stepLoss(int s) {
    return stepLoss[s];
  }

  double mean(int s, int channel) {
    return mean[s][channel];
  }

  double sigma(int s, int channel) {
    return sigma[s][channel];
  }

  /** out[r] = b[r] + W[r, :]·in for r in [0, rows): W (rows, in.length) row-major at w. */
  private void matmulForward(int w, int b, double[] in, double[] out, int rows) {
    int n = in.length;
    for (int r = 0; r < rows; r++) {
      double sum = p[b + r];
      int row = w + r * n;
      for (int k = 0; k < n; k++) sum += p[row + k] * in[k];
      out[r] = sum;
    }
  }

  /** Backward of row r of {@link #matmulForward}, given dOut = ∂loss/∂out[r]. */
  private void matmulBackward(int w, int b, double[] in, double dOut, int r, double[] grad, double[] dIn) {
    int n = in.length;
    int row = w + r * n;
    grad[b + r] += dOut;
    for (int k = 0; k < n; k++) {
      grad[row + k] += dOut * in[k];
      dIn[k] += p[row + k] * dOut;
    }
  }

  static double sigmoid(double z) {
    return 1 / (1 + StrictMath.exp(-z));
  }

  static double tanh(double z) {
    double e = StrictMath.exp(-2 * Math.abs(z));
    return Math.copySign((1 - e) / (1 + e), z);
  }

  static double softplus(double s) {
    return s > 30 ? s : StrictMath.log1p(StrictMath.exp(s));
  }
}
