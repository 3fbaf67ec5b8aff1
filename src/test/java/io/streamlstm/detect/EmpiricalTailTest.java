package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EmpiricalTailTest {

  /** One histogram with its age, added to as the likelihood does. */
  private static final class Histogram {
    final EmpiricalTail t;
    final char[] bins = new char[EmpiricalTail.BINS];
    int age;

    Histogram(double halfLife) {
      t = new EmpiricalTail(halfLife);
    }

    void add(double x) {
      if (age == t.period()) {
        t.renormalise(bins, 0);
        age = 0;
      }
      t.add(bins, 0, t.units(++age), x);
    }

    double tail(double x) {
      return t.tail(bins, 0, t.surprisesPerUnit(age), x);
    }
  }

  @Test
  void tailIsTheShareOfPastSurprisesAboveWithHalfAPseudoCount() {
    Histogram h = new Histogram(100); // forgets 2 % in three additions: within the tolerance below
    for (int i = 0; i < 3; i++) h.add(0.1);
    // Bin [0, 0.25) holds 3; at 0.1, 60% of the bin lies above: (3 * 0.6 + 0.5) / (3 + 1) = 0.575.
    assertEquals(0.575, h.tail(0.1), 1e-3);
    // Just at the top of everything seen: (0 + 0.5) / 4 = 0.125.
    assertEquals(0.125, h.tail(0.25), 1e-3);
    // Beyond it, falling by e per mean excess, here the floor: all counts sit in bin 0, 0.125 above its edge.
    assertEquals(0.125 * Math.exp(-(0.3 - 0.25) / EmpiricalTail.MIN_EXCESS_SCALE), h.tail(0.3), 1e-3);
  }

  @Test
  void forgettingHalvesOldCountsAtEachHalfLife() {
    for (double halfLife : new double[] {100, 2000}) {
      Histogram h = new Histogram(halfLife);
      h.add(1.0);
      for (int i = 0; i < 3 * halfLife; i++) h.add(0.1);
      // The reading at 1.0 now weighs 1/8 among about 1.44·halfLife·(1 - 1/8) others at 0.1.
      double others = (1 - 1.0 / 8) / (1 - Math.pow(2, -1 / halfLife));
      double expected = (1.0 / 8 + 0.5) / (1.0 / 8 + others + 1);
      // 16-bit counts hold a lone surprise to about half a unit: 11 units a surprise at a half-life of 2000,
      // so the eighth of a surprise left here is 1.4 ± 0.5 units, and the tail within 10 %.
      assertEquals(expected, h.tail(1.0), 0.1 * expected, "half-life " + halfLife);
    }
  }

  @Test
  void countsNeverOverflowAndAForgottenSurpriseNoLongerFlattensTheTail() {
    Histogram h = new Histogram(2000);
    h.add(5.0);
    for (int i = 0; i < 200_000; i++) h.add(0);
    assertTrue(h.bins[0] < 0xFFFF, "saturated at " + (int) h.bins[0]);
    assertEquals(0, h.bins[20]);
    // All in bin 0 and the steady total of 1/(1 - keep) surprises: (0 + 0.5) / (2885.9 + 1) above bin 0.
    assertEquals(0.5 / 2886.9, h.tail(0.25), 1e-6);
    // The record of 5.0 is forgotten: beyond the counts every larger surprise is strictly rarer, none alike.
    assertTrue(h.tail(1.0) < h.tail(0.5));
    assertTrue(h.tail(5.0) < h.tail(1.0));
    assertTrue(h.tail(5.5) < h.tail(5.0));
    // At the longest half-life allowed, with about 2 units a surprise, still no overflow and the right total.
    Histogram longest = new Histogram(EmpiricalTail.MAX_HALF_LIFE);
    for (int i = 0; i < 200_000; i++) longest.add(0);
    assertTrue(longest.bins[0] < 0xFFFF, "saturated at " + (int) longest.bins[0]);
    double total = 1 / AnomalyLikelihood.alpha(EmpiricalTail.MAX_HALF_LIFE);
    assertEquals(0.5 / (total + 1), longest.tail(0.25), 0.02 * 0.5 / (total + 1));
  }

  @Test
  void largerSurprisesAreNeverLessRare() {
    Histogram h = new Histogram(1386); // keep 0.9995
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 5000; i++) h.add(Math.log1p(Math.abs(TestSeries.gaussian(random))));
    double previous = 1;
    for (double x = 0; x < 12; x += 0.01) {
      double p = h.tail(x);
      assertTrue(p <= previous && p >= AnomalyLikelihood.MIN_TAIL, "tail at " + x + " = " + p + " after " + previous);
      previous = p;
    }
    // About 5% of |N(0,1)| lie above 1.96.
    assertEquals(0.05, h.tail(Math.log1p(1.96)), 0.015);
  }

  @Test
  void theTailBeyondTheCountsKeepsRankingWhereAFloorWouldTie() {
    Histogram h = new Histogram(2000);
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 20_000; i++) h.add(Math.log1p(Math.abs(TestSeries.gaussian(random))));
    // Errors of 10, 100, 1000 and 10^5 σ: each strictly rarer than the one before, none at the floor.
    double previous = h.tail(Math.log1p(6));
    for (double size : new double[] {10, 100, 1000, 1e5}) {
      double p = h.tail(Math.log1p(size));
      assertTrue(p < previous && p > 1e-300, size + " σ: " + p + " after " + previous);
      previous = p;
    }
  }

  @Test
  void errorsOfHundredsOfSigmaThatRecurRankAmongThemselvesNotAsRecords() {
    // A flat line with the odd dip: its forecast errs by about 1000 σ (σ at its floor) once in 500 readings.
    Histogram h = new Histogram(2000);
    double dip = Math.log1p(1000);
    for (int i = 1; i <= 10_000; i++) h.add(i % 500 == 0 ? dip : 0);
    double tail = h.tail(dip);
    // Counted, a dip is about as rare as it is (part of its bin lies below it); as a record it was under 2e-4.
    assertTrue(tail > 0.25 / 500, "tail " + tail);
    assertTrue(h.tail(Math.log1p(1500)) < tail, "a larger error ranks above them");
    // The largest forecast error there is (a reading clipped to ±8 scales, σ ≥ 0.01) lies within the bins.
    assertTrue(Math.log1p(2 * 8 / 0.01) < EmpiricalTail.BINS * EmpiricalTail.WIDTH);
  }
}
