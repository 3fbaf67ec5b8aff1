package io.streamlstm.lstm;

/**
 * Where each tensor lives in a network's single flat parameter array (one array keeps Adam, gradient
 * clipping and the model file simple: they all see "the parameters" as one vector).
 *
 * <p>Per layer {@code l} with {@code n = H + in_l} columns acting on the concatenation {@code [h, x]}:
 * <pre>
 *   gate weights  (G*H, n) row-major; for an LSTM the G=4 blocks are W_f, W_i, W_g, W_o in that order
 *   gate biases   (G*H)    b_f, b_i, b_g, b_o
 * </pre>
 * then the head over the top layer's h: {@code W_mu (C, H), b_mu (C), W_s (C, H), b_s (C)}.
 */
public final class Layout {

  public static final int FORGET = 0;
  public static final int INPUT = 1;
  public static final int CANDIDATE = 2;
  public static final int OUTPUT = 3;

  private final Architecture arch;
  private final int[] gateWeights;
  private final int[] gateBiases;
  private final int headMeanWeights;
  private final int headMeanBias;
  private final int headScaleWeights;
  private final int headScaleBias;
  private final int size;

  public Layout(Architecture arch) {
    this.arch = arch;
    int h = arch.hiddenSize();
    int gates = arch.gatesPerLayer();
    gateWeights = new int[arch.layers()];
    gateBiases = new int[arch.layers()];
    int offset = 0;
    for (int l = 0; l < arch.layers(); l++) {
      gateWeights[l] = offset;
      offset += gates * h * columns(l);
      gateBiases[l] = offset;
      offset += gates * h;
    }
    int c = arch.inputSize();
    headMeanWeights = offset;
    offset += c * h;
    headMeanBias = offset;
    offset += c;
    headScaleWeights = offset;
    offset += c * h;
    headScaleBias = offset;
    offset += c;
    size = offset;
  }

  public Architecture architecture() {
    return arch;
  }

  /** Columns of layer {@code l}'s gate matrices: {@code H + in_l}, h first, then x. */
  public int columns(int l) {
    return arch.hiddenSize() + arch.layerInputSize(l);
  }

  /** Offset of gate {@code gate}'s (H, n) weight block of layer {@code l}. */
  public int gateWeights(int l, int gate) {
    return gateWeights[l] + gate * arch.hiddenSize() * columns(l);
  }

  /** Offset of gate {@code gate}'s H biases of layer {@code l}. */
  public int gateBiases(int l, int gate) {
    return gateBiases[l] + gate * arch.hiddenSize();
  }

  public int headMeanWeights() {
    return headMeanWeights;
  }

  public int headMeanBias() {
    return headMeanBias;
  }

  public int headScaleWeights() {
    return headScaleWeights;
  }

  public int headScaleBias() {
    return headScaleBias;
  }

  /** Total number of parameters. */
  public int size() {
    return size;
  }
}
