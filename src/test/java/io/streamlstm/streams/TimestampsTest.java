package io.streamlstm.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast path for canonical UTC instants must answer exactly what java.time answers, and refuse alike. */
class TimestampsTest {

  private static long javaTime(String text) {
    return OffsetDateTime.parse(text).toInstant().toEpochMilli();
  }

  @Test
  void canonicalInstantsParseAsJavaTimeParsesThem() {
    final SplittableRandom random = new SplittableRandom(11);
    for (int k = 0; k < 20_000; k++) {
      // Years 0001..9999, with no fraction or 1..9 fraction digits.
      final long seconds = random.nextLong(-62_135_596_800L, 253_402_300_799L);
      final int nanos = random.nextInt(1_000_000_000);
      final String whole = Instant.ofEpochSecond(seconds).toString(); // yyyy-MM-ddTHH:mm:ssZ
      final int digits = random.nextInt(10);
      final String text = digits == 0 ? whole
          : whole.substring(0, whole.length() - 1) + "." + String.format("%09d", nanos).substring(0, digits) + "Z";
      assertEquals(javaTime(text), Timestamps.parse(text), text);
    }
  }

  @Test
  void edgesAndOtherFormsAgreeToo() {
    for (String text : List.of("1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.9991Z",
        "2024-02-29T12:00:00Z", "2026-01-01T00:00:00.5Z",
        "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00+02:00", "2026-01-01T00:00:00.123-05:30")) {
      assertEquals(javaTime(text), Timestamps.parse(text), text);
    }
    assertEquals(1_767_225_600_000L, Timestamps.parse("2026-01-01 00:00:00"));
    assertEquals(1_767_225_600_000L, Timestamps.parse("1767225600000"));
  }

  @Test
  void formatWritesWhatInstantWrites() {
    final SplittableRandom random = new SplittableRandom(12);
    final List<Long> edges = List.of(0L, -1L, 1L, 999L, 1000L, -62_167_219_200_000L, -62_167_219_200_001L,
        253_402_300_799_999L, 253_402_300_800_000L, Long.MIN_VALUE / 2, Long.MAX_VALUE / 2);
    for (long millis : edges) assertEquals(Instant.ofEpochMilli(millis).toString(), Timestamps.format(millis));
    for (int k = 0; k < 20_000; k++) {
      // Whole seconds half the time: they print without a fraction.
      long millis = random.nextLong(-70_000_000_000_000L, 260_000_000_000_000L);
      if (k % 2 == 0) millis -= Math.floorMod(millis, 1000);
      assertEquals(Instant.ofEpochMilli(millis).toString(), Timestamps.format(millis));
      if (millis >= -62_167_219_200_000L && millis < 253_402_300_800_000L) {
        assertEquals(millis, Timestamps.parse(Timestamps.format(millis)));
      }
    }
  }

  @Test
  void impossibleDatesAndTimesAreRefused() {
    for (String text : List.of("2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z",
        "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z", "2026-01-01T00:00:00.1234567890Z",
        "2026-01-01T0a:00:00Z", "yesterday")) {
      assertThrows(IllegalArgumentException.class, () -> Timestamps.parse(text), text);
    }
  }
}
