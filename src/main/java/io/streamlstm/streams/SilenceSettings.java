package io.streamlstm.streams;

import java.time.Duration;

/**
 * When a sensor that stops is news. A sensor is watched once it has reported {@code watchAfter} readings; it
 * is called silent when nothing of it arrived for {@code factor} times its usual interval between readings (by
 * reading time), and at least {@code minimum}, by the wall clock. Every {@code every} a punctuation reads the
 * timers due by then, at most {@code slice} of them, so its work follows what is due, not how many sensors there are.
 *
 * @param factor how many usual intervals of quiet make a sensor silent; 0 watches no sensor
 */
public record SilenceSettings(int factor, Duration minimum, int watchAfter, Duration every, int slice) {

  public static final SilenceSettings DEFAULT = new SilenceSettings(5, Duration.ofMinutes(1), 10, Duration.ofSeconds(10),
      10_000);

  public SilenceSettings {
    if (factor < 0) throw new IllegalArgumentException("silence factor must be >= 0, got " + factor);
    if (minimum == null || minimum.isNegative()) throw new IllegalArgumentException("silence minimum must be >= 0");
    if (watchAfter < 2) throw new IllegalArgumentException("silence needs at least 2 readings to know an interval");
    if (every == null || every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("silence check interval must be > 0, got " + every);
    }
    if (slice < 1) throw new IllegalArgumentException("silence check slice must be >= 1, got " + slice);
  }

  boolean enabled() {
    return factor > 0;
  }

  /** How long a sensor whose usual interval is {@code usualMillis} may stay quiet. */
  long quietAllowedMillis(long usualMillis) {
    return Math.max(minimum.toMillis(), factor * usualMillis);
  }
}
