package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EmpiricalTailTest {

  @Test
  void tailIsTheShareOfPastSurprisesAboveWithHalfAPseudoCount() {
    double[] stats = new double[EmpiricalTail.SIZE];
    for (int i = 0; i < 3; i++) EmpiricalTail.add(stats, 0, 0.1, 1);
    // Bin [0, 0.25) holds 3; at 0.1, 60% of the bin lies above: (3 * 0.6 + 0.5) / (3 + 1) = 0.575.
    assertEquals(0.575, EmpiricalTail.tail(stats, 0, 0.1), 1e-12);
    // Just at the top of everything seen: (0 + 0.5) / 4 = 0.125.
    assertEquals(0.125, EmpiricalTail.tail(stats, 0, 0.25), 1e-12);
    // Beyond it, falling by e per unit of size: s = e^0.3 - 1 = 0.349859 against e^0.25 - 1 = 0.284025.
    assertEquals(0.125 * Math.exp(-(0.349859 - 0.284025)), EmpiricalTail.tail(stats, 0, 0.3), 1e-6);
  }

  @Test
  void forgettingHalvesOldCountsAtEachHalfLife() {
    double[] stats = new double[EmpiricalTail.SIZE];
    EmpiricalTail.add(stats, 0, 1.0, 1);
    EmpiricalTail.add(stats, 0, 0.1, 0.5);
    // The reading at 1.0 now weighs 0.5 of 1.5: (0.5 + 0.5) / (1.5 + 1) = 0.4 at the bottom of its bin.
    assertEquals(0.4, EmpiricalTail.tail(stats, 0, 1.0), 1e-12);
  }

  @Test
  void largerSurprisesAreNeverLessRare() {
    double[] stats = new double[EmpiricalTail.SIZE];
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 5000; i++) EmpiricalTail.add(stats, 0, Math.log1p(Math.abs(TestSeries.gaussian(random))), 0.9995);
    double previous = 1;
    for (double x = 0; x < 12; x += 0.01) {
      double p = EmpiricalTail.tail(stats, 0, x);
      assertTrue(p <= previous && p >= AnomalyLikelihood.MIN_TAIL, "tail at " + x + " = " + p + " after " + previous);
      previous = p;
    }
    // About 5% of |N(0,1)| lie above 1.96.
    assertEquals(0.05, EmpiricalTail.tail(stats, 0, Math.log1p(1.96)), 0.015);
  }
}
