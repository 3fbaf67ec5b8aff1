package io.streamlstm.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ActivationsTest {

  /** Every 499th float bit pattern of either sign with 1e-30 < |x| < 100: about 3.6 million arguments. */
  private static void forSampledFloats(java.util.function.Consumer<Float> check) {
    for (int bits = 0; bits >= 0; bits += 499) {
      float x = Float.intBitsToFloat(bits);
      if (x >= 100f) break;
      if (x < 1e-30f) continue;
      check.accept(x);
      check.accept(-x);
    }
  }

  @Test
  void expIsWithinOneUlpOfMath() {
    double[] worst = {0};
    forSampledFloats(x -> {
      if (Math.abs(x) > 87f) return;
      double exact = Math.exp(x);
      worst[0] = Math.max(worst[0], Math.abs(Activations.exp(x) - exact) / exact);
    });
    assertTrue(worst[0] < 1.2e-7, "worst relative error " + worst[0]);
  }

  @Test
  void sigmoidIsWithinTwoUlpsOfMath() {
    double[] worst = {0};
    forSampledFloats(x -> {
      if (x < -80f) return; // below, σ is under 2^-115 and only its absolute error matters
      double exact = 1 / (1 + Math.exp(-(double) x));
      worst[0] = Math.max(worst[0], Math.abs(Activations.sigmoid(x) - exact) / exact);
    });
    assertTrue(worst[0] < 2.4e-7, "worst relative error " + worst[0]);
  }

  @Test
  void tanhIsWithinTwoUlpsOfMathEvenNearZero() {
    double[] worst = {0};
    forSampledFloats(x -> {
      double exact = Math.tanh(x);
      worst[0] = Math.max(worst[0], Math.abs(Activations.tanh(x) - exact) / Math.abs(exact));
    });
    assertTrue(worst[0] < 2.4e-7, "worst relative error " + worst[0]);
  }

  @Test
  void saturatesWithoutOverflowAndKeepsNaN() {
    assertEquals(1f, Activations.sigmoid(1e30f));
    assertTrue(Activations.sigmoid(-1e30f) >= 0f && Activations.sigmoid(-1e30f) < 1e-37f);
    assertEquals(1f, Activations.tanh(Float.POSITIVE_INFINITY));
    assertEquals(-1f, Activations.tanh(-1e30f));
    assertEquals(0f, Activations.sigmoid(0f) - 0.5f);
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(Activations.tanh(-0f)));
    assertTrue(Float.isFinite(Activations.exp(1000f)));
    assertTrue(Float.isNaN(Activations.exp(Float.NaN)));
    assertTrue(Float.isNaN(Activations.sigmoid(Float.NaN)));
    assertTrue(Float.isNaN(Activations.tanh(Float.NaN)));
  }

  @Test
  void tanhIsOdd() {
    forSampledFloats(x -> assertEquals(-Activations.tanh(x), Activations.tanh(-x)));
  }
}
