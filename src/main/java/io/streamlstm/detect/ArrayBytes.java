package io.streamlstm.detect;

import io.streamlstm.lstm.StepKernels;

/**
 * Moves {@link SensorState}'s float and 16-bit arrays to and from their little-endian bytes. The state is
 * decoded and encoded at every reading, and these arrays are almost all of its bytes, so they move a vector at a
 * time where the JVM can; every implementation writes and reads the same bytes.
 */
interface ArrayBytes {

  /** The fastest this JVM runs. */
  ArrayBytes FASTEST = fastest();

  /**
   * Reads {@code n} floats from {@code bytes[at..]} into {@code into[0..n)}.
   *
   * @return the index of the first that is not finite (NaN or infinite), or −1 when all are
   */
  int getFloats(byte[] bytes, int at, float[] into, int n);

  /** Writes {@code from[0..n)} as floats at {@code out[at..]}. */
  void putFloats(float[] from, int n, byte[] out, int at);

  /** Reads {@code n} 16-bit counts from {@code bytes[at..]} into {@code into[0..n)}. */
  void getChars(byte[] bytes, int at, char[] into, int n);

  /** Writes {@code from[0..n)} as 16-bit counts at {@code out[at..]}. */
  void putChars(char[] from, int n, byte[] out, int at);

  /**
   * The Vector API's when it is present and links: JDK 19 replaced its byte-array loads with memory segments, so
   * on a later JDK the one-at-a-time form runs. The vector class is named only behind the check, so without the
   * module it is never loaded.
   */
  private static ArrayBytes fastest() {
    if (!StepKernels.vectorApiAvailable()) return new ScalarArrayBytes();
    try {
      ArrayBytes vector = new VectorArrayBytes();
      int n = 64; // more than one vector of either kind, so the vector loops run
      byte[] bytes = new byte[4 * n];
      vector.putFloats(new float[n], n, bytes, 0);
      vector.getFloats(bytes, 0, new float[n], n);
      vector.putChars(new char[n], n, bytes, 0);
      vector.getChars(bytes, 0, new char[n], n);
      return vector;
    } catch (LinkageError e) {
      return new ScalarArrayBytes();
    }
  }
}
