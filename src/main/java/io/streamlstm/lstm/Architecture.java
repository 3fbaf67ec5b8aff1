package io.streamlstm.lstm;

/**
 * Shape of a network: {@code layers} stacked recurrent layers of {@code hiddenSize} units over
 * {@code inputSize} input channels, and a Gaussian head predicting, per channel, the mean and scale
 * of the next normalised reading.
 */
public record Architecture(CellType cell, int inputSize, int hiddenSize, int layers) {

  public static final int MAX_LAYERS = 3;

  public Architecture {
    if (cell == null) throw new IllegalArgumentException("cell type is required");
    if (inputSize < 1) throw new IllegalArgumentException("inputSize must be >= 1, got " + inputSize);
    if (hiddenSize < 1) throw new IllegalArgumentException("hiddenSize must be >= 1, got " + hiddenSize);
    if (layers < 1 || layers > MAX_LAYERS) {
      throw new IllegalArgumentException("layers must be 1.." + MAX_LAYERS + ", got " + layers);
    }
  }

  /** Input width of layer {@code l}: the channels for the first layer, the layer below's h otherwise. */
  public int layerInputSize(int l) {
    return l == 0 ? inputSize : hiddenSize;
  }

  /** Gate blocks per layer: f, i, g, o for an LSTM; one for a plain RNN. */
  public int gatesPerLayer() {
    return cell == CellType.LSTM ? 4 : 1;
  }

  /** Floats of recurrent state per sensor: h then C for every layer (C stays 0 for an RNN). */
  public int stateSize() {
    return layers * 2 * hiddenSize;
  }

  /**
   * Where the top layer's memory starts in the state, {@link #hiddenSize()} floats: its cell state C for an LSTM,
   * its h for a plain RNN (an RNN's only memory).
   */
  public int topMemoryAt() {
    return (layers - 1) * 2 * hiddenSize + (cell == CellType.LSTM ? hiddenSize : 0);
  }
}
