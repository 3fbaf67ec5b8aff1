package io.streamlstm.detect;

import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ArrayBytes} a vector at a time, the tail that fills no whole vector one element at a time ({@link
 * ScalarArrayBytes}). Only loaded when the jdk.incubator.vector module is present (see {@link ArrayBytes#FASTEST}).
 */
final class VectorArrayBytes implements ArrayBytes {

  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_PREFERRED;
  private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

  @Override
  public int getFloats(byte[] bytes, int at, float[] into, int n) {
    int whole = FLOATS.loopBound(n);
    for (int j = 0; j < whole; j += FLOATS.length()) {
      FloatVector v = FloatVector.fromByteArray(FLOATS, bytes, at + 4 * j, ORDER);
      v.intoArray(into, j);
      if (!v.test(VectorOperators.IS_FINITE).allTrue()) return ScalarArrayBytes.getFloats(bytes, at, into, j, n);
    }
    return ScalarArrayBytes.getFloats(bytes, at, into, whole, n);
  }

  @Override
  public void putFloats(float[] from, int n, byte[] out, int at) {
    int whole = FLOATS.loopBound(n);
    for (int j = 0; j < whole; j += FLOATS.length()) {
      FloatVector.fromArray(FLOATS, from, j).intoByteArray(out, at + 4 * j, ORDER);
    }
    ScalarArrayBytes.putFloats(from, whole, n, out, at);
  }

  @Override
  public void getChars(byte[] bytes, int at, char[] into, int n) {
    int whole = SHORTS.loopBound(n);
    for (int j = 0; j < whole; j += SHORTS.length()) {
      ShortVector.fromByteArray(SHORTS, bytes, at + 2 * j, ORDER).intoCharArray(into, j);
    }
    ScalarArrayBytes.getChars(bytes, at, into, whole, n);
  }

  @Override
  public void putChars(char[] from, int n, byte[] out, int at) {
    int whole = SHORTS.loopBound(n);
    for (int j = 0; j < whole; j += SHORTS.length()) {
      ShortVector.fromCharArray(SHORTS, from, j).intoByteArray(out, at + 2 * j, ORDER);
    }
    ScalarArrayBytes.putChars(from, whole, n, out, at);
  }
}
