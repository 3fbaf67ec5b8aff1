package io.streamlstm.streams;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
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
    long utc = parseUtcInstant(s);
    if (utc != NOT_CANONICAL) return utc;
    try {
      if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:?\\d\\d$")) {
        return java.time.OffsetDateTime.parse(s.replace(' ', 'T')).toInstant().toEpochMilli();
      }
      return LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a timestamp (ISO-8601 or epoch milliseconds): '" + text + "'");
    }
  }

  private static final long NOT_CANONICAL = Long.MIN_VALUE;

  /**
   * The common case without java.time's formatter (a few µs, paid twice per record by the stream):
   * exactly {@code yyyy-MM-ddTHH:mm:ss[.f…]Z}, fields checked as strictly as the ISO parser does.
   * Anything else answers {@link #NOT_CANONICAL} and goes the general way.
   */
  private static long parseUtcInstant(String s) {
    int n = s.length();
    if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-'
        || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return NOT_CANONICAL;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > java.time.YearMonth.of(year, month).lengthOfMonth()
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return NOT_CANONICAL;
    }
    int millis = 0;
    if (n > 20) {
      // A fraction of 1 to 9 digits after a dot; milliseconds are its first three (truncated, as toEpochMilli does).
      if (s.charAt(19) != '.' || n - 21 < 1 || n - 21 > 9 || digits(s, 20, n - 1) < 0) return NOT_CANONICAL;
      String fraction = (s.substring(20, n - 1) + "00").substring(0, 3);
      millis = Integer.parseInt(fraction);
    } else if (s.charAt(19) != 'Z') {
      return NOT_CANONICAL;
    }
    long days = java.time.LocalDate.of(year, month, day).toEpochDay();
    return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
  }

  /** The number written in {@code s[from, to)}, or -1 unless all of it is ASCII digits. */
  private static int digits(String s, int from, int to) {
    int value = 0;
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') return -1;
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static final long MILLIS_PER_DAY = 86_400_000L;
  private static final long YEAR_0 = -62_167_219_200_000L;
  private static final long YEAR_10000 = 253_402_300_800_000L;

  /**
   * The text {@link Instant#toString()} gives ({@code 2026-01-01T00:00:00Z}, {@code .SSS} when there are
   * milliseconds), written without java.time's formatter for years 0 to 9999: every score pays for one.
   */
  public static String format(long epochMillis) {
    if (epochMillis < YEAR_0 || epochMillis >= YEAR_10000) return Instant.ofEpochMilli(epochMillis).toString();
    final LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(epochMillis, MILLIS_PER_DAY));
    final int millisOfDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
    final int millis = millisOfDay % 1000;
    final byte[] text = new byte[millis == 0 ? 20 : 24];
    putDigits(text, 0, date.getYear(), 4);
    text[4] = '-';
    putDigits(text, 5, date.getMonthValue(), 2);
    text[7] = '-';
    putDigits(text, 8, date.getDayOfMonth(), 2);
    text[10] = 'T';
    putDigits(text, 11, millisOfDay / 3_600_000, 2);
    text[13] = ':';
    putDigits(text, 14, millisOfDay / 60_000 % 60, 2);
    text[16] = ':';
    putDigits(text, 17, millisOfDay / 1000 % 60, 2);
    if (millis != 0) {
      text[19] = '.';
      putDigits(text, 20, millis, 3);
    }
    text[text.length - 1] = 'Z';
    return new String(text, StandardCharsets.US_ASCII);
  }

  /** {@code value} as {@code width} decimal digits, zero-padded, at {@code text[at]}. */
  private static void putDigits(byte[] text, int at, int value, int width) {
    for (int k = at + width - 1; k >= at; k--) {
      text[k] = (byte) ('0' + value % 10);
      value /= 10;
    }
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
