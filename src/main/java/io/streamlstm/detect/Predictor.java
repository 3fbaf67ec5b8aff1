package io.streamlstm.detect;

import io.streamlstm.lstm.Architecture;
import io.streamlstm.lstm.StepKernel;

/**
 * What the detector asks of its forecaster: advance one sensor's recurrent state by a normalised reading
 * and predict the next reading's mean and scale. The shipped model's {@link StepKernel} is the product's
 * predictor; {@link PersistencePredictor} is the baseline the LSTM must beat, swapped in at this one place.
 * One instance per thread (implementations keep scratch).
 */
public interface Predictor {

  /** Channels read per step: 1 for a model run once per channel. */
  int inputSize();

  /** Floats of recurrent state per lane. */
  int stateSize();

  /**
   * Feeds {@code x} (one value per input channel), updating {@code state} in place, and writes the predicted
   * mean and σ &gt; 0 of the next normalised reading per channel.
   *
   * @return false, leaving everything untouched, when a result would not be finite
   */
  boolean step(float[] state, float[] x, float[] mean, float[] sigma);

  /** Floats of memory in a lane's state that {@link Memory} judges; 0 for a predictor that keeps none. */
  default int memorySize() {
    return 0;
  }

  /** Where that memory starts in a lane's state. */
  default int memoryAt() {
    return 0;
  }

  /** The network's step as a predictor. */
  static Predictor of(StepKernel kernel) {
    Architecture arch = kernel.architecture();
    return new Predictor() {
      @Override
      public int inputSize() {
        return arch.inputSize();
      }

      @Override
      public int stateSize() {
        return arch.stateSize();
      }

      @Override
      public boolean step(float[] state, float[] x, float[] mean, float[] sigma) {
        return kernel.step(state, x, mean, sigma);
      }

      @Override
      public int memorySize() {
        return arch.hiddenSize();
      }

      @Override
      public int memoryAt() {
        return arch.topMemoryAt();
      }
    };
  }
}
