package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConfidenceScaleTest {

  private static final double USUAL = 0.2;

  /**
   * A sensor fed 6,000 forecasts whose network σ is half or twice {@link #USUAL} at random, and whose errors have the
   * standard deviation {@code scale · σnet^followed}: its slice after them.
   */
  static float[] taught(double followed) {
    float[] slice = new float[ConfidenceScale.SIZE];
    SplittableRandom random = new SplittableRandom(17);
    double meanSquare = 0;
    for (int t = 0; t < 6000; t++) {
      double networkSigma = USUAL * (random.nextBoolean() ? 0.5 : 2);
      ConfidenceScale.factor(slice, 0, networkSigma);
      double error = 3 * Math.pow(networkSigma, followed) * random.nextGaussian();
      if (t > 0) ConfidenceScale.learn(slice, 0, ConfidenceScale.logErrorRatio(error * error, meanSquare));
      meanSquare += (error * error - meanSquare) / Math.min(t + 1, 20);
    }
    return slice;
  }

  @Test
  void errorsThatFollowTheNetworksSigmaTeachAnExponentNearOne() {
    double exponent = ConfidenceScale.exponent(taught(1), 0);
    assertEquals(1, exponent, 0.3);
  }

  @Test
  void errorsThatIgnoreTheNetworksSigmaTeachNoExponent() {
    assertTrue(ConfidenceScale.exponent(taught(0), 0) < 0.2, "exponent " + ConfidenceScale.exponent(taught(0), 0));
  }

  @Test
  void theNetworkMakesTheDetectorKeenerWhereItIsSurerNeverMoreLenient() {
    float[] slice = taught(1);
    // The usual σnet settles near the average of 0.1 and 0.4; below it the factor follows the ratio, above it stays 1.
    float[] sure = slice.clone();
    double keener = ConfidenceScale.factor(sure, 0, 0.05);
    assertTrue(keener < 0.5 && keener > 0, "factor " + keener);
    float[] unsure = slice.clone();
    assertEquals(1, ConfidenceScale.factor(unsure, 0, 4.0));
  }

  @Test
  void anEmptySliceLeavesTheSigmaAsItIsUntilErrorsTeachIt() {
    float[] slice = new float[ConfidenceScale.SIZE];
    assertEquals(1, ConfidenceScale.factor(slice, 0, 1e-30));
    assertEquals(1, ConfidenceScale.factor(slice, 0, 5.0));
    // An exact forecast of a sensor that never erred: no infinity enters the state.
    ConfidenceScale.learn(slice, 0, ConfidenceScale.logErrorRatio(0, 0));
    ConfidenceScale.learn(slice, 0, ConfidenceScale.logErrorRatio(1e30, 0));
    for (float value : slice) assertTrue(Float.isFinite(value), "slice " + java.util.Arrays.toString(slice));
    assertTrue(Double.isFinite(ConfidenceScale.factor(slice, 0, 1e-30)));
  }
}
