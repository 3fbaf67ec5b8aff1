package io.streamlstm.streams;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Reading timestamps as sensors and files write them: ISO-8601, zone-less date-times (UTC), epoch ms. */
public final class Timestamps {

  private Timestamps() {}

  /**
   * Epoch milliseconds of {@code text}: all digits (optionally signed) is epoch ms; otherwise an
   * ISO-8601 instant ({@code 2026-01-01T00:00:00Z}, offsets allowed) or a zone-less date-time read as
   * UTC ({@code 2014-07-01 00:00:00} as in NAB, or with a {@code T}).
   *
   * @throws IllegalArgumentException naming the text when it is none of these
   */
  public static long parse(String text) {
    String s = text.strip();
    if (!s.isEmpty() && isInteger(s)) return Long.parseLong(s);
    try {
      if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:?\\d\\d$")) {
        return java.time.OffsetDateTime.parse(s.replace(' ', 'T')).toInstant().toEpochMilli();
      }
      return LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a timestamp (ISO-8601 or epoch milliseconds): '" + text + "'");
    }
  }

  public static String format(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }

  private static boolean isInteger(String s) {
    int start = s.charAt(0) == '-' || s.charAt(0) == '+' ? 1 : 0;
    if (start == s.length()) return false;
    for (int k = start; k < s.length(); k++) {
      if (!Character.isDigit(s.charAt(k))) return false;
    }
    return true;
  }
}
