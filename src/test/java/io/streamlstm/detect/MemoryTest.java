package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MemoryTest {

  private static final int H = 32;
  private static final int WARM_UP = 100;
  private static final int PLACED = Memory.SETTLE + Memory.PROTOTYPES * Memory.SPACING;

  /** A memory that goes round a cycle of {@code period} readings, as a daily sensor's does, with a little noise. */
  private static float[] cycling(int t, int period, SplittableRandom noise) {
    float[] memory = new float[H];
    double phase = 2 * Math.PI * t / period;
    for (int j = 0; j < H; j++) {
      memory[j] = (float) (0.5 * Math.sin(phase + j) + 0.01 * TestSeries.gaussian(noise));
    }
    return memory;
  }

  private static EvidenceTesting memory() {
    return new EvidenceTesting(new Memory(H, DetectorConfig.defaults().historyHalfLife(), WARM_UP));
  }

  @Test
  void abstainsWithoutAMemoryAndWhileItsPlacesAreTaken() {
    EvidenceTesting none = new EvidenceTesting(new Memory(0, 2000, WARM_UP));
    assertTrue(Double.isNaN(none.memory(new float[H]).next(0, 0)), "a predictor without a memory");
    EvidenceTesting withNull = memory();
    assertTrue(Double.isNaN(withNull.next(0, 0)), "a reading without the memory");

    EvidenceTesting m = memory();
    SplittableRandom noise = new SplittableRandom(1);
    for (int t = 1; t < PLACED; t++) assertTrue(Double.isNaN(m.memory(cycling(t, 96, noise)).next(0, 0)), "t=" + t);
    assertFalse(Double.isNaN(m.memory(cycling(PLACED, 96, noise)).next(0, 0)));
    assertFalse(m.found.mayDecide, "counted, not judging, for a warm-up");
    for (int t = PLACED + 1; t <= PLACED + WARM_UP; t++) m.memory(cycling(t, 96, noise)).next(0, 0);
    assertTrue(m.found.mayDecide);
  }

  @Test
  void aMemoryOffItsUsualPlacesIsTheLargestSurprise() {
    EvidenceTesting m = memory();
    SplittableRandom noise = new SplittableRandom(2);
    double largestUsual = 0;
    for (int t = 1; t <= 5000; t++) {
      double s = m.memory(cycling(t, 96, noise)).next(0, 0);
      if (t > PLACED + 2000) largestUsual = Math.max(largestUsual, s);
    }
    // Round the same cycle, every memory is near a place it has visited: a fraction of the cycle's size away.
    assertTrue(largestUsual < Math.log1p(3), "usual memories: " + Math.expm1(largestUsual) + " spreads");

    // Twice as far out as the cycle ever goes, at a phase it passes every day: where the memory has never been.
    float[] outside = cycling(5001, 96, noise);
    for (int j = 0; j < H; j++) outside[j] *= 2;
    double twice = m.memory(outside).next(0, 0);
    assertTrue(Math.expm1(twice) > 1.5 * Math.expm1(largestUsual),
        "off the cycle: " + Math.expm1(twice) + " spreads against at most " + Math.expm1(largestUsual));
    assertTrue(m.found.forecastBand, "reported against the forecast's band");
    assertEquals(Math.expm1(twice), m.found.deviation, 1e-9);
    // Farther out is the larger surprise.
    for (int j = 0; j < H; j++) outside[j] *= 1.5f;
    double thrice = m.memory(outside).next(0, 0);
    assertTrue(thrice > twice, Math.expm1(thrice) + " spreads three times out, " + Math.expm1(twice) + " twice");
  }

  @Test
  void forgettingStartsThePlacesOver() {
    EvidenceTesting m = memory();
    SplittableRandom noise = new SplittableRandom(3);
    for (int t = 1; t <= PLACED + 10; t++) m.memory(cycling(t, 96, noise)).next(0, 0);
    assertFalse(Double.isNaN(m.next(0, 0)));
    Memory.forget(m.stats, 0);
    assertEquals(new EvidenceTesting(new Memory(H, 2000, WARM_UP)).stats.length, m.stats.length);
    for (float v : m.stats) assertEquals(0f, v);
    assertTrue(Double.isNaN(m.next(0, 0)), "settling again");
  }
}
