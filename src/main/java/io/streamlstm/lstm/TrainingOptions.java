package io.streamlstm.lstm;

import java.util.Map;
import java.util.TreeMap;

/**
 * Everything that decides how a network is trained. With the same data, the same options give the same
 * parameters bit for bit.
 *
 * @param cell recurrent cell of every layer
 * @param hidden H, units per layer
 * @param layers stacked recurrent layers, 1..{@link Architecture#MAX_LAYERS}
 * @param epochs most passes over the training data
 * @param window steps of truncated back-propagation through time; state carries across windows
 * @param learningRate Adam's step size
 * @param clipNorm largest global L2 norm of a window's gradient
 * @param seed initial weights and the order of series in each epoch
 * @param validationFraction tail of each series held back to decide early stopping, in [0, 0.5]
 * @param patience epochs without a better validation loss before training stops
 * @param nllBeta β of β-NLL in [0, 1]: each reading's gradient weighted by σ^{2β}; 0 is the plain likelihood
 * @param weightAverage decay d in [0, 1) of an exponential moving average of the weights, which is what is
 *     validated and kept; 0 keeps the weights of the last step
 */
public record TrainingOptions(
    CellType cell,
    int hidden,
    int layers,
    int epochs,
    int window,
    double learningRate,
    double clipNorm,
    long seed,
    double validationFraction,
    int patience,
    double nllBeta,
    double weightAverage) {

  public TrainingOptions {
    if (cell == null) throw new IllegalArgumentException("cell type is required");
    if (hidden < 1) throw new IllegalArgumentException("hidden must be >= 1, got " + hidden);
    if (layers < 1 || layers > Architecture.MAX_LAYERS) {
      throw new IllegalArgumentException("layers must be 1.." + Architecture.MAX_LAYERS + ", got " + layers);
    }
    if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
    if (window < 1) throw new IllegalArgumentException("window must be >= 1, got " + window);
    if (!(learningRate > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
    if (!(clipNorm > 0)) throw new IllegalArgumentException("clip norm must be > 0, got " + clipNorm);
    if (!(validationFraction >= 0 && validationFraction <= 0.5)) {
      throw new IllegalArgumentException("validation fraction must be in [0, 0.5], got " + validationFraction);
    }
    if (patience < 1) throw new IllegalArgumentException("patience must be >= 1, got " + patience);
    if (!(nllBeta >= 0 && nllBeta <= 1)) throw new IllegalArgumentException("nllBeta must be in [0, 1], got " + nllBeta);
    if (!(weightAverage >= 0 && weightAverage < 1)) {
      throw new IllegalArgumentException("weight average must be in [0, 1), got " + weightAverage);
    }
  }

  /** The defaults of {@code streamlstm train}. */
  public static TrainingOptions defaults() {
    return new TrainingOptions(CellType.LSTM, 32, 1, 20, 64, 3e-3, 1.0, 42, 0.1, 3, 0.5, 0);
  }

  public TrainingOptions withShape(CellType cell, int hidden, int layers) {
    return new TrainingOptions(
        cell, hidden, layers, epochs, window, learningRate, clipNorm, seed, validationFraction, patience, nllBeta,
        weightAverage);
  }

  public TrainingOptions withSchedule(int epochs, int window, double learningRate, int patience) {
    return new TrainingOptions(
        cell, hidden, layers, epochs, window, learningRate, clipNorm, seed, validationFraction, patience, nllBeta,
        weightAverage);
  }

  public TrainingOptions withSeed(long seed) {
    return new TrainingOptions(
        cell, hidden, layers, epochs, window, learningRate, clipNorm, seed, validationFraction, patience, nllBeta,
        weightAverage);
  }

  /** The options as model-file metadata, keys prefixed {@code train.}; no weight average is no key. */
  public Map<String, String> toMetadata() {
    Map<String, String> m = new TreeMap<>();
    m.put("train.cell", cell.name().toLowerCase(java.util.Locale.ROOT));
    m.put("train.hidden", Integer.toString(hidden));
    m.put("train.layers", Integer.toString(layers));
    m.put("train.epochs", Integer.toString(epochs));
    m.put("train.window", Integer.toString(window));
    m.put("train.learning-rate", Double.toString(learningRate));
    m.put("train.clip-norm", Double.toString(clipNorm));
    m.put("train.seed", Long.toString(seed));
    m.put("train.validation-fraction", Double.toString(validationFraction));
    m.put("train.patience", Integer.toString(patience));
    m.put("train.nll-beta", Double.toString(nllBeta));
    // Only when on, so that models trained before weight averaging existed rebuild byte for byte.
    if (weightAverage > 0) m.put("train.weight-average", Double.toString(weightAverage));
    return m;
  }
}
