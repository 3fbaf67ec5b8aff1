package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.lstm.StepKernels;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AdaptivePredictorTest {

  private final AdaptivePredictor predictor =
      new AdaptivePredictor(StepKernels.create(TestSeries.model(1, 8, 1, 1, "m").network()));
  private final int stateSize = predictor.stateSize();
  // The lane ends with the σ's scale, then the forecast move's; the count and mean square error lie just before.
  private final int moveScaleAt = stateSize - ConfidenceScale.SIZE;
  private final int sigmaScaleAt = moveScaleAt - ConfidenceScale.SIZE;
  private final int meanSquareAt = sigmaScaleAt - 2;

  /** A lane after {@code readings} of a noisy daily cycle, and the σ of its last forecast. */
  private float[] warmed(int readings, float[] sigma) {
    float[] lane = new float[stateSize];
    double[] series = TestSeries.noisyCycle(readings, 0, 1, 0.5, 3);
    float[] mean = new float[1];
    for (double value : series) assertTrue(predictor.step(lane, new float[] {(float) value}, mean, sigma));
    return lane;
  }

  @Test
  void untaughtScalesLeaveTheSensorsOwnSigma() {
    float[] sigma = new float[1];
    float[] lane = warmed(300, sigma);
    Arrays.fill(lane, sigmaScaleAt, stateSize, 0f);
    float[] mean = new float[1];
    predictor.step(lane, new float[] {0.3f}, mean, sigma);
    assertEquals((float) Math.sqrt(lane[meanSquareAt]), sigma[0]);
  }

  @Test
  void theNetworksConfidenceNarrowsSigmaAtMostTenfold() {
    float[] sigma = new float[1];
    float[] lane = warmed(300, sigma);
    // Both scales taught the steepest exponent, and their usual gauges far above any the network gives now: each
    // factor alone would be ~0.
    for (int at : new int[] {sigmaScaleAt, moveScaleAt}) {
      float[] taught = ConfidenceScaleTest.taught(4);
      assertEquals(ConfidenceScale.MAX_EXPONENT, ConfidenceScale.exponent(taught, 0));
      taught[ConfidenceScale.USUAL_GAUGE] = 1e6f;
      System.arraycopy(taught, 0, lane, at, ConfidenceScale.SIZE);
    }
    float[] mean = new float[1];
    predictor.step(lane, new float[] {0.3f}, mean, sigma);
    double ownSigma = Math.sqrt(lane[meanSquareAt]);
    assertTrue(ownSigma * AdaptivePredictor.MIN_CONFIDENCE > AdaptivePredictor.SIGMA_MIN, "own σ " + ownSigma);
    assertEquals((float) (ownSigma * AdaptivePredictor.MIN_CONFIDENCE), sigma[0]);
  }
}
