package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.lstm.Model;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
  void aSensorOfOneChannelWithTheShippedH32ArchitectureTakesAtMostTwoKibibytesEverythingIncluded() {
    // The shipped model's architecture: LSTM, H=32, one layer. 256 bytes of h and C, 216 of the sensor's own
    // readout (AdaptivePredictor: 152, its two ConfidenceScales 64), 1284 of likelihood (241 float statistics, 81 of
    // them the memory's places and 2 the usual spacing; five histograms of 32 16-bit counts), 64 of recent readings,
    // the rest names and counts: 1921 bytes.
    SensorState state = scored(TestSeries.model(1, 32, 1, 1, VERSION), 1000, "value");
    int size = state.encode().length;
    assertTrue(size <= 2048, size + " bytes");
    assertTrue(size > 2 * 32 * 4, "h and C are in it: " + size);
    assertEquals(size, state.encodedSize());
    // Each further layer adds its h and C: 2·32 floats (and a byte to the state size's varint).
    SensorState twoLayers = scored(TestSeries.model(1, 32, 2, 1, VERSION), 1000, "value");
    assertEquals(size + 2 * 32 * 4 + 1, twoLayers.encode().length);
  }

  @Test
  void decodingIntoAReusedStateGivesTheSameStateAsAFreshDecode() {
    SensorState reused = new Detector(TestSeries.model(1, 8, 1, 1, "other"), DetectorConfig.defaults()).newState();
    for (SensorState state : new SensorState[] {
        scored(TestSeries.model(1, 8, 1, 1, "few"), 5, "value"),
        scored(TestSeries.model(1, 16, 3, 1, "per-channel"), 300, "a", "ß", "温度"),
        scored(TestSeries.model(1, 16, 3, 1, "per-channel"), 300, "a", "b", "温度"),
        scored(TestSeries.model(1, 32, 2, 1, VERSION), 700, "value"),
        new Detector(TestSeries.model(1, 8, 1, 1, "fresh"), DetectorConfig.defaults()).newState()}) {
      byte[] bytes = state.encode();
      SensorState.decodeInto(bytes, reused);
      assertEquals(state, reused);
      byte[] again = new byte[bytes.length + 7];
      assertEquals(bytes.length, reused.encodeInto(again));
      assertArrayEquals(bytes, java.util.Arrays.copyOf(again, bytes.length));
    }
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
        garbage[1] = (byte) (1 + trial % 8 / 2);
      }
      assertThrows(IllegalArgumentException.class, () -> SensorState.decode(garbage));
    }
    byte[] trailing = java.util.Arrays.copyOf(valid, valid.length + 1);
    assertThrows(IllegalArgumentException.class, () -> SensorState.decode(trailing));
    byte[] future = valid.clone();
    future[1] = 99;
    assertEquals("not a valid sensor state: unknown format version 99 (this build reads 1 to " + SensorState.FORMAT + ")",
        assertThrows(IllegalArgumentException.class, () -> SensorState.decode(future)).getMessage());
    // The current body under an older format's number does not fit that format's layout, but for formats 11 and 12:
    // the same layout, whose one-channel lanes lacked both confidence slices (11) or the second (12), appended.
    for (byte older = 1; older < 11; older++) {
      byte[] old = valid.clone();
      old[1] = older;
      assertThrows(IllegalArgumentException.class, () -> SensorState.decode(old), "format " + older);
    }
    for (byte older = 11; older < SensorState.FORMAT; older++) {
      byte[] old = valid.clone();
      old[1] = older;
      assertEquals(SensorState.decode(valid).recurrent[0].length + (SensorState.FORMAT - older) * ConfidenceScale.SIZE,
          SensorState.decode(old).recurrent[0].length, "format " + older);
    }
    assertThrows(IllegalArgumentException.class, () -> SensorState.decode(null));
  }

  @Test
  void aNanInsideTheRecurrentStateIsRefused() {
    SensorState state = scored(TestSeries.model(1, 8, 1, 1, "m"), 10, "value");
    byte[] bytes = state.encode();
    // h[0] follows magic, format, version (1+1), k, "value" (1+5), readings, timestamp, backwards run (0), lanes,
    // state size.
    int at = 2 + 2 + 1 + 6 + 1 + 8 + 1 + 1 + 1;
    ByteBuffer little = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(state.recurrent[0][0], little.getFloat(at));
    little.putFloat(at, Float.NaN);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SensorState.decode(bytes))
        .getMessage().contains("h/C"));
  }

  /**
   * The stream decodes each reading's state into one reused object and encodes it back into its bytes: for
   * the current format neither may allocate an array or a string once compiled. What is left is at most the
   * two ByteBuffer views over the bytes (48 B each), which C2's escape analysis removes in most runs but not
   * all (it depends on inlining decisions made under the machine's load); an array or a name decoded afresh
   * would cost hundreds of bytes a call.
   */
  @Test
  void decodingTheCurrentFormatIntoAReusedStateAndEncodingItAllocatesNoArrays() {
    final int calls = 20_000;
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    SensorState state = scored(TestSeries.model(1, 32, 1, 1, VERSION), 300, "value");
    byte[] bytes = state.encode();
    SensorState reused = SensorState.decode(bytes);
    long allocated = Long.MAX_VALUE;
    final long views = 2 * 48L * calls;
    for (int round = 0; round < 50 && allocated >= calls; round++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int k = 0; k < calls; k++) {
        SensorState.decodeInto(bytes, reused);
        reused.encodeInto(bytes);
      }
      allocated = threads.getCurrentThreadAllocatedBytes() - before;
    }
    assertTrue(allocated <= views, "still " + allocated + " bytes over " + calls + " decodes and encodes");
    assertEquals(state, reused);
  }
}
