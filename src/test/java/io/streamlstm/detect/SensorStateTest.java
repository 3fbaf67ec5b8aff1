package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.lstm.Model;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SensorStateTest {

  /** A realistic version: 16 hex digits of the model file's checksum would be typical; leave room. */
  private static final String VERSION = "lstm-h32-l2-0123456789abcdef0123456789abcdef";

  private static SensorState scored(Model model, int readings, String... channels) {
    Detector detector = new Detector(model, DetectorConfig.defaults());
    SensorState state = detector.newState();
    SplittableRandom random = new SplittableRandom(3);
    for (int t = 0; t < readings; t++) {
      double[] values = new double[channels.length];
      for (int c = 0; c < values.length; c++) values[c] = 100 * c + TestSeries.gaussian(random);
      assertTrue(detector.process(state, new Reading(1000L * t, channels, values)).accepted());
    }
    return state;
  }

  @Test
  void roundTripIsExactForEveryField() {
    for (SensorState state : new SensorState[] {
        new Detector(TestSeries.model(1, 8, 1, 1, "fresh"), DetectorConfig.defaults()).newState(),
        scored(TestSeries.model(1, 8, 1, 1, "few"), 5, "value"),
        scored(TestSeries.model(1, 32, 2, 1, VERSION), 700, "value"),
        scored(TestSeries.model(1, 16, 3, 1, "per-channel"), 300, "a", "ß", "温度"),
        scored(TestSeries.model(3, 16, 1, 1, "joint"), 300, "a", "b", "c")}) {
      byte[] bytes = state.encode();
      SensorState back = SensorState.decode(bytes);
      assertEquals(state, back);
      assertArrayEquals(bytes, back.encode());
      assertEquals(state.hashCode(), back.hashCode());
    }
  }

  @Test
  void aSensorOfOneChannelWithH32TakesAtMostTwoKibibytesEverythingIncluded() {
    SensorState state = scored(TestSeries.model(1, 32, 2, 1, VERSION), 1000, "value");
    int size = state.encode().length;
    // About 0.9 KiB of network state and recent readings, 1.4 KiB of likelihood statistics (the surprise
    // histograms and the daily profile) of which the zeros, a third or more, are left out.
    assertTrue(size <= 2048, size + " bytes");
    assertTrue(size > 2 * 2 * 32 * 4, "h and C of both layers are in it: " + size);
  }

  @Test
  void statesThatDifferInOneBitAreNotEqual() {
    SensorState a = scored(TestSeries.model(1, 8, 1, 1, "m"), 50, "value");
    SensorState b = SensorState.decode(a.encode());
    b.recurrent[0][3] = Math.nextUp(b.recurrent[0][3]);
    assertNotEquals(a, b);
  }

  @Test
  void everyTruncationIsRefusedWithAClearMessage() {
    byte[] bytes = scored(TestSeries.model(2, 8, 1, 1, "m"), 100, "a", "b").encode();
    for (int length = 0; length < bytes.length; length++) {
      byte[] cut = java.util.Arrays.copyOf(bytes, length);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SensorState.decode(cut));
      assertTrue(e.getMessage().startsWith("not a valid sensor state"), e.getMessage());
    }
  }

  @Test
  void garbageIsRefusedWithAClearMessage() {
    byte[] valid = scored(TestSeries.model(1, 8, 1, 1, "m"), 100, "value").encode();
    SplittableRandom random = new SplittableRandom(9);
    for (int trial = 0; trial < 2000; trial++) {
      byte[] garbage = new byte[random.nextInt(2, 600)];
      random.nextBytes(garbage);
      if (trial % 2 == 0) {
        garbage[0] = 'S';
        garbage[1] = (byte) (1 + trial % 4 / 2);
      }
      assertThrows(IllegalArgumentException.class, () -> SensorState.decode(garbage));
    }
    byte[] trailing = java.util.Arrays.copyOf(valid, valid.length + 1);
    assertThrows(IllegalArgumentException.class, () -> SensorState.decode(trailing));
    byte[] future = valid.clone();
    future[1] = 3;
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SensorState.decode(future))
        .getMessage().contains("format version 3"));
    assertThrows(IllegalArgumentException.class, () -> SensorState.decode(null));
  }

  @Test
  void aNanInsideTheRecurrentStateIsRefused() {
    SensorState state = scored(TestSeries.model(1, 8, 1, 1, "m"), 10, "value");
    byte[] bytes = state.encode();
    // h[0] follows magic, format, version (2+1), k, "value" (2+5), readings, timestamp, lanes, state size.
    int at = 2 + 3 + 1 + 7 + 8 + 8 + 1 + 4;
    assertEquals(state.recurrent[0][0], ByteBuffer.wrap(bytes, at, 4).getFloat());
    ByteBuffer.wrap(bytes).putFloat(at, Float.NaN);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SensorState.decode(bytes))
        .getMessage().contains("h/C"));
  }

  @Test
  void theDenseFormatOneStaysReadable() {
    SensorState state = scored(TestSeries.model(1, 8, 1, 1, "m"), 400, "value");
    byte[] sparse = state.encode();
    // Format 1 is format 2 with the likelihood statistics written out in full, zeros included.
    int before = 2 + 3 + 1 + 7 + 8 + 8 + 1 + 4 + 4 * state.recurrent[0].length + 4 + 4 + 8 * 2;
    int n = state.likelihood.length;
    int nonZero = 0;
    for (double v : state.likelihood) if (v != 0) nonZero++;
    assertTrue(nonZero < n, "some statistics are 0, so the sparse form is shorter");
    int after = before + (n + 7) / 8 + 8 * nonZero;
    ByteBuffer dense = ByteBuffer.allocate(sparse.length - (after - before) + 8 * n);
    dense.put(sparse, 0, before);
    for (double v : state.likelihood) dense.putDouble(v);
    dense.put(sparse, after, sparse.length - after);
    byte[] formatOne = dense.array();
    formatOne[1] = 1;
    assertEquals(state, SensorState.decode(formatOne));
    assertArrayEquals(sparse, SensorState.decode(formatOne).encode());
  }
}
