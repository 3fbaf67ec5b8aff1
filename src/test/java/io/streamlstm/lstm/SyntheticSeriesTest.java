package io.streamlstm.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticSeriesTest {

  @Test
  void seededAndIndependentOfHowManyAreDrawn() {
    List<double[]> five = SyntheticSeries.generate(5, 1000, 42);
    List<double[]> three = SyntheticSeries.generate(3, 1000, 42);
    for (int k = 0; k < 3; k++) assertArrayEquals(five.get(k), three.get(k));
    assertFalse(Arrays.equals(five.get(0), SyntheticSeries.generate(1, 1000, 43).get(0)));
    assertFalse(Arrays.equals(five.get(0), five.get(1)));
  }

  @Test
  void coversTheBehavioursItPromises() {
    List<double[]> all = SyntheticSeries.generate(40, 3000, 7);
    int flat = 0;
    int quantised = 0;
    int spiky = 0;
    double smallest = Double.POSITIVE_INFINITY;
    double largest = 0;
    for (double[] x : all) {
      assertEquals(3000, x.length);
      for (double v : x) assertTrue(Double.isFinite(v));
      if (longestRun(x) >= 24) flat++;
      if (Arrays.stream(x).distinct().count() < x.length / 4) quantised++;
      if (hasSpike(x)) spiky++;
      double spread = spread(x);
      smallest = Math.min(smallest, spread);
      largest = Math.max(largest, spread);
    }
    assertTrue(flat >= 4, "series with a flat stretch: " + flat);
    assertTrue(quantised >= 4, "quantised series: " + quantised);
    assertTrue(spiky >= 4, "series with a spike: " + spiky);
    assertTrue(flat < 40 && quantised < 40 && spiky < 40, "not every series is flat, quantised or spiky");
    assertTrue(largest / smallest > 100, "scales span " + largest / smallest);
  }

  /** A reading far above the usual step from one reading to the next, and far from both neighbours. */
  private static boolean hasSpike(double[] x) {
    double[] steps = new double[x.length - 1];
    for (int t = 1; t < x.length; t++) steps[t - 1] = Math.abs(x[t] - x[t - 1]);
    Arrays.sort(steps);
    double usual = steps[steps.length / 2];
    if (usual == 0) return false;
    for (int t = 1; t + 1 < x.length; t++) {
      double fromBefore = x[t] - x[t - 1];
      double toAfter = x[t] - x[t + 1];
      if (Math.abs(fromBefore) > 8 * usual && Math.abs(toAfter) > 8 * usual && fromBefore * toAfter > 0) return true;
    }
    return false;
  }

  private static int longestRun(double[] x) {
    int longest = 1;
    int run = 1;
    for (int t = 1; t < x.length; t++) {
      run = x[t] == x[t - 1] ? run + 1 : 1;
      longest = Math.max(longest, run);
    }
    return longest;
  }

  private static double spread(double[] x) {
    double mean = Arrays.stream(x).average().orElseThrow();
    return Math.sqrt(Arrays.stream(x).map(v -> (v - mean) * (v - mean)).average().orElseThrow());
  }
}
