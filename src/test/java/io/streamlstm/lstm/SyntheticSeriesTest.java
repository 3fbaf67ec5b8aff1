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
    double smallest = Double.POSITIVE_INFINITY;
    double largest = 0;
    for (double[] x : all) {
      assertEquals(3000, x.length);
      for (double v : x) assertTrue(Double.isFinite(v));
      if (longestRun(x) >= 24) flat++;
      if (Arrays.stream(x).distinct().count() < x.length / 4) quantised++;
      double spread = spread(x);
      smallest = Math.min(smallest, spread);
      largest = Math.max(largest, spread);
    }
    assertTrue(flat >= 4, "series with a flat stretch: " + flat);
    assertTrue(quantised >= 4, "quantised series: " + quantised);
    assertTrue(flat < 40 && quantised < 40, "not every series is flat or quantised");
    assertTrue(largest / smallest > 100, "scales span " + largest / smallest);
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
