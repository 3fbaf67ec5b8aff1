package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.lstm.StepKernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The vector form must read and write exactly the bytes the one-at-a-time form does, at any offset and length. */
class ArrayBytesTest {

  private final ArrayBytes scalar = new ScalarArrayBytes();
  private final ArrayBytes vector = new VectorArrayBytes();
  private final SplittableRandom random = new SplittableRandom(11);

  @Test
  void theTestJvmRunsTheVectorForm() {
    // the build starts tests with the module, so the comparisons below run the vector loops
    assertTrue(StepKernels.vectorApiAvailable());
    assertSame(VectorArrayBytes.class, ArrayBytes.FASTEST.getClass());
  }

  @Test
  void floatsGoToTheSameBytesAndBack() {
    for (int n : new int[] {0, 1, 7, 15, 16, 17, 102, 241, 300}) {
      for (int at : new int[] {0, 1, 3, 5}) {
        float[] values = new float[n];
        for (int j = 0; j < n; j++) values[j] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-20, 20)));
        byte[] byScalar = new byte[at + 4 * n + 3];
        byte[] byVector = byScalar.clone();
        scalar.putFloats(values, n, byScalar, at);
        vector.putFloats(values, n, byVector, at);
        assertArrayEquals(byScalar, byVector, n + " floats at " + at);

        float[] read = new float[n];
        assertEquals(-1, vector.getFloats(byVector, at, read, n));
        assertArrayEquals(values, read);
      }
    }
  }

  @Test
  void bothFindTheFirstFloatThatIsNotFinite() {
    int n = 241;
    for (int bad : new int[] {0, 5, 16, 100, 239, 240}) {
      for (float notFinite : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
        float[] values = new float[n];
        for (int j = 0; j < n; j++) values[j] = j;
        values[bad] = notFinite;
        values[n - 1] = Float.NaN; // a later one must not be the one reported
        byte[] bytes = new byte[1 + 4 * n];
        scalar.putFloats(values, n, bytes, 1);
        assertEquals(bad, scalar.getFloats(bytes, 1, new float[n], n), "at " + bad);
        assertEquals(bad, vector.getFloats(bytes, 1, new float[n], n), "at " + bad);
      }
    }
  }

  @Test
  void countsGoToTheSameBytesAndBack() {
    for (int n : new int[] {0, 1, 31, 32, 33, 160, 320}) {
      for (int at : new int[] {0, 1, 2}) {
        char[] counts = new char[n];
        for (int j = 0; j < n; j++) counts[j] = (char) random.nextInt(Character.MAX_VALUE + 1);
        byte[] byScalar = new byte[at + 2 * n + 1];
        byte[] byVector = byScalar.clone();
        scalar.putChars(counts, n, byScalar, at);
        vector.putChars(counts, n, byVector, at);
        assertArrayEquals(byScalar, byVector, n + " counts at " + at);

        char[] read = new char[n];
        vector.getChars(byVector, at, read, n);
        assertArrayEquals(counts, read);
        char[] readByScalar = new char[n];
        scalar.getChars(byScalar, at, readByScalar, n);
        assertArrayEquals(counts, readByScalar);
      }
    }
  }
}
