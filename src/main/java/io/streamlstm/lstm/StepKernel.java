package io.streamlstm.lstm;

/**
 * One inference step of a trained network for the stream: advances one sensor's recurrent state by
 * one reading and predicts the next. Implementations allocate nothing per call; one instance per
 * thread (they keep scratch buffers).
 *
 * <p>State layout, {@link Architecture#stateSize()} floats: for each layer, h (H floats) then C (H floats).
 */
public interface StepKernel {

  Architecture architecture();

  /**
   * Feeds normalised reading {@code x} (one value per channel) through the layers, updating
   * {@code state} in place, and writes the predicted mean and scale (σ &gt; 0) of the next
   * normalised reading per channel.
   *
   * @return false, leaving {@code state}, {@code mean} and {@code sigma} untouched, when any result is
   *     not finite, so NaN or Infinity never enters h or C
   */
  boolean step(float[] state, float[] x, float[] mean, float[] sigma);
}
