package io.streamlstm.streams;

/**
 * A pattern of sensor ids: {@code *} stands for any run of characters (also none), {@code ?} for exactly one,
 * every other character for itself, case included ({@code pump-*}, {@code *-temp}, {@code line-?-valve-*}).
 * Compiled once into its literal parts between the stars, so a match is a few region compares, no regular
 * expression and no allocation: it runs for readings on the stream's hot path.
 */
public final class SensorIdGlob {

  private final String text;
  /** The text split at each star: a match has parts[0] at the start, the last part at the end, the rest in order. */
  private final String[] parts;
  private final int minimumLength;

  private SensorIdGlob(String text) {
    this.text = text;
    this.parts = text.split("\\*", -1);
    int length = 0;
    for (String part : parts) length += part.length();
    this.minimumLength = length;
  }

  /** @throws IllegalArgumentException for an empty or blank pattern */
  public static SensorIdGlob of(String text) {
    if (text == null || text.isBlank()) throw new IllegalArgumentException("a sensor-id glob must not be empty");
    return new SensorIdGlob(text);
  }

  public boolean matches(String sensorId) {
    final int length = sensorId.length();
    if (length < minimumLength) return false;
    final String first = parts[0];
    if (parts.length == 1) return length == first.length() && partAt(sensorId, 0, first);
    final String last = parts[parts.length - 1];
    final int lastStart = length - last.length();
    if (!partAt(sensorId, 0, first) || !partAt(sensorId, lastStart, last)) return false;
    // The middle parts, each at its leftmost place after the one before: if any placement fits, this one does.
    int from = first.length();
    for (int k = 1; k < parts.length - 1; k++) {
      final String part = parts[k];
      int at = from;
      while (at + part.length() <= lastStart && !partAt(sensorId, at, part)) at++;
      if (at + part.length() > lastStart) return false;
      from = at + part.length();
    }
    return true;
  }

  /** Whether {@code part} ({@code ?} matching any character) stands in {@code text} at {@code offset}. */
  private static boolean partAt(String text, int offset, String part) {
    for (int k = 0; k < part.length(); k++) {
      final char c = part.charAt(k);
      if (c != '?' && c != text.charAt(offset + k)) return false;
    }
    return true;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SensorIdGlob glob && glob.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
