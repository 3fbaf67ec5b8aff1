package io.streamlstm.lstm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ScalarStepKernel}'s step on the Vector API, bit for bit. The gate weights are repacked so
 * that the V lanes of a vector hold V consecutive output rows: lane j starts from its row's bias and
 * adds the columns of [h, x] in ascending order with one fma each — exactly the scalar sum — while V
 * rows advance at once. The activations are {@link VectorActivations}, the lanewise twin of
 * {@link Activations}, and the LSTM's four gates of a row block accumulate side by side so that the
 * four fma chains overlap.
 *
 * <p>Packed layer l, n = H + in_l columns, B = ⌈H/V⌉ row blocks, rows past H zero:
 * <pre>
 *   weights (B, n, G, V)   weights[((b·n + k)·G + gate)·V + lane] = W_gate[b·V + lane, k]
 *   biases  (B, G, V)
 * </pre>
 * Only loaded when the jdk.incubator.vector module is present (see {@link StepKernels}).
 */
public final class VectorStepKernel implements StepKernel {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int V = SPECIES.length();
  // Order of the gate scratch: the three valves side by side so that one σ pass covers them (its
  // independent vectors overlap in the pipeline), then the candidate.
  private static final int F = 0, I = 1, O = 2, G = 3;

  private final Architecture arch;
  private final Layout layout;
  private final float[] p; // unpacked, for the head
  private final float[][] weights; // per layer, packed as above
  private final float[][] biases;
  private final int blocks;
  private final int padded; // B·V
  // Scratch, reused every call: [h, x] of a layer; C_{t-1} of a layer, the gates (G, B·V) and tanh's
  // scratch, padded to B·V; the new state as, per layer, h then C, each padded to B·V (committed only
  // when finite); the head's outputs.
  private final float[] hx;
  private final float[] cPrev;
  private final float[] gates;
  private final float[] signs;
  private final float[] next;
  private final float[] meanOut;
  private final float[] sigmaOut;

  public VectorStepKernel(Network network) {
    this.arch = network.architecture();
    this.layout = network.layout();
    this.p = ScalarStepKernel.toFloats(network.parameters());
    int h = arch.hiddenSize();
    this.blocks = (h + V - 1) / V;
    this.padded = blocks * V;
    this.weights = new float[arch.layers()][];
    this.biases = new float[arch.layers()][];
    for (int l = 0; l < arch.layers(); l++) pack(l);
    this.hx = new float[h + Math.max(h, arch.inputSize())];
    this.cPrev = new float[padded];
    this.gates = new float[arch.gatesPerLayer() * padded];
    this.signs = new float[padded];
    this.next = new float[arch.layers() * 2 * padded];
    this.meanOut = new float[arch.inputSize()];
    this.sigmaOut = new float[arch.inputSize()];
  }

  private void pack(int l) {
    int h = arch.hiddenSize();
    int gates = arch.gatesPerLayer();
    int n = layout.columns(l);
    float[] w = new float[blocks * n * gates * V];
    float[] b = new float[blocks * gates * V];
    for (int gate = 0; gate < gates; gate++) {
      for (int row = 0; row < h; row++) {
        int block = row / V;
        int lane = row % V;
        b[(block * gates + gate) * V + lane] = p[layout.gateBiases(l, gate) + row];
        for (int k = 0; k < n; k++) {
          w[((block * n + k) * gates + gate) * V + lane] = p[layout.gateWeights(l, gate) + row * n + k];
        }
      }
    }
    weights[l] = w;
    biases[l] = b;
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
      int in = arch.layerInputSize(l);
      System.arraycopy(state, hAt, hx, 0, h);
      System.arraycopy(input, inputAt, hx, h, in);
      int nextAt = l * 2 * padded;
      if (arch.cell() == CellType.LSTM) {
        System.arraycopy(state, hAt + h, cPrev, 0, h);
        lstmLayer(l, h + in, nextAt);
      } else {
        rnnLayer(l, h + in, nextAt);
      }
      input = next;
      inputAt = nextAt;
    }
    int topAt = (arch.layers() - 1) * 2 * padded;
    ScalarStepKernel.head(p, layout, next, topAt, meanOut, sigmaOut);
    for (int l = 0; l < arch.layers(); l++) {
      // Only the first H lanes are state: padding rows may see 0·∞ where real rows saturate.
      int at = l * 2 * padded;
      if (!ScalarStepKernel.allFinite(next, at, at + h)
          || !ScalarStepKernel.allFinite(next, at + padded, at + padded + h)) {
        return false;
      }
    }
    if (!ScalarStepKernel.allFinite(meanOut, 0, meanOut.length)
        || !ScalarStepKernel.allFinite(sigmaOut, 0, sigmaOut.length)) {
      return false;
    }
    for (int l = 0; l < arch.layers(); l++) {
      System.arraycopy(next, l * 2 * padded, state, l * 2 * h, h);
      System.arraycopy(next, l * 2 * padded + padded, state, l * 2 * h + h, h);
    }
    System.arraycopy(meanOut, 0, mean, 0, meanOut.length);
    System.arraycopy(sigmaOut, 0, sigma, 0, sigmaOut.length);
    return true;
  }

  /**
   * The gate equations, V rows at a time: the four gate sums of a row block side by side (four
   * independent fma chains), then each activation over whole arrays, then the cell update. Writes h
   * and C of layer l at next[nextAt..].
   */
  private void lstmLayer(int l, int n, int nextAt) {
    float[] w = weights[l];
    float[] b = biases[l];
    int stride = 4 * V; // one column of a block: f, i, g, o lanes
    for (int block = 0; block < blocks; block++) {
      int bAt = block * stride;
      FloatVector f = FloatVector.fromArray(SPECIES, b, bAt + Layout.FORGET * V);
      FloatVector i = FloatVector.fromArray(SPECIES, b, bAt + Layout.INPUT * V);
      FloatVector g = FloatVector.fromArray(SPECIES, b, bAt + Layout.CANDIDATE * V);
      FloatVector o = FloatVector.fromArray(SPECIES, b, bAt + Layout.OUTPUT * V);
      int column = block * n * stride;
      for (int k = 0; k < n; k++, column += stride) {
        FloatVector xk = FloatVector.broadcast(SPECIES, hx[k]);
        f = FloatVector.fromArray(SPECIES, w, column + Layout.FORGET * V).fma(xk, f);
        i = FloatVector.fromArray(SPECIES, w, column + Layout.INPUT * V).fma(xk, i);
        g = FloatVector.fromArray(SPECIES, w, column + Layout.CANDIDATE * V).fma(xk, g);
        o = FloatVector.fromArray(SPECIES, w, column + Layout.OUTPUT * V).fma(xk, o);
      }
      f.intoArray(gates, F * padded + block * V);
      i.intoArray(gates, I * padded + block * V);
      o.intoArray(gates, O * padded + block * V);
      g.intoArray(gates, G * padded + block * V);
    }
    VectorActivations.sigmoid(gates, 0, 3 * padded); // f, i and o in one pass
    VectorActivations.tanh(gates, G * padded, (G + 1) * padded, signs);
    int hAt = nextAt;
    int cAt = nextAt + padded;
    for (int lane = 0; lane < padded; lane += V) {
      FloatVector f = FloatVector.fromArray(SPECIES, gates, F * padded + lane);
      FloatVector i = FloatVector.fromArray(SPECIES, gates, I * padded + lane);
      FloatVector g = FloatVector.fromArray(SPECIES, gates, G * padded + lane);
      FloatVector c = f.fma(FloatVector.fromArray(SPECIES, cPrev, lane), i.mul(g));
      c.intoArray(next, cAt + lane);
      c.intoArray(next, hAt + lane);
    }
    // h = o⊙tanh(C), in place in h's slot
    VectorActivations.tanh(next, hAt, hAt + padded, signs);
    for (int lane = 0; lane < padded; lane += V) {
      FloatVector o = FloatVector.fromArray(SPECIES, gates, O * padded + lane);
      o.mul(FloatVector.fromArray(SPECIES, next, hAt + lane)).intoArray(next, hAt + lane);
    }
  }

  /** h = tanh(W·[h, x] + b) for V rows at a time; C stays 0. */
  private void rnnLayer(int l, int n, int nextAt) {
    float[] w = weights[l];
    float[] b = biases[l];
    for (int block = 0; block < blocks; block++) {
      FloatVector a = FloatVector.fromArray(SPECIES, b, block * V);
      int column = block * n * V;
      for (int k = 0; k < n; k++, column += V) {
        a = FloatVector.fromArray(SPECIES, w, column).fma(FloatVector.broadcast(SPECIES, hx[k]), a);
      }
      a.intoArray(next, nextAt + block * V);
    }
    VectorActivations.tanh(next, nextAt, nextAt + padded, signs);
  }
}
