package io.streamlstm.detect;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** {@link ArrayBytes} one element at a time: runs on every JVM. */
final class ScalarArrayBytes implements ArrayBytes {

  private static final VarHandle FLOATS = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle CHARS = MethodHandles.byteArrayViewVarHandle(char[].class, ByteOrder.LITTLE_ENDIAN);

  @Override
  public int getFloats(byte[] bytes, int at, float[] into, int n) {
    return getFloats(bytes, at, into, 0, n);
  }

  /** Only elements {@code [first, n)}: the vector form's tail, and its search for the float that is not finite. */
  static int getFloats(byte[] bytes, int at, float[] into, int first, int n) {
    for (int j = first; j < n; j++) {
      float v = (float) FLOATS.get(bytes, at + 4 * j);
      into[j] = v;
      if (!Float.isFinite(v)) return j;
    }
    return -1;
  }

  @Override
  public void putFloats(float[] from, int n, byte[] out, int at) {
    putFloats(from, 0, n, out, at);
  }

  static void putFloats(float[] from, int first, int n, byte[] out, int at) {
    for (int j = first; j < n; j++) FLOATS.set(out, at + 4 * j, from[j]);
  }

  @Override
  public void getChars(byte[] bytes, int at, char[] into, int n) {
    getChars(bytes, at, into, 0, n);
  }

  static void getChars(byte[] bytes, int at, char[] into, int first, int n) {
    for (int j = first; j < n; j++) into[j] = (char) CHARS.get(bytes, at + 2 * j);
  }

  @Override
  public void putChars(char[] from, int n, byte[] out, int at) {
    putChars(from, 0, n, out, at);
  }

  static void putChars(char[] from, int first, int n, byte[] out, int at) {
    for (int j = first; j < n; j++) CHARS.set(out, at + 2 * j, from[j]);
  }
}
