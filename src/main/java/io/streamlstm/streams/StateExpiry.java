package io.streamlstm.streams;

import java.time.Duration;

/**
 * When a departed sensor's state is removed. A state is expired once its last accepted reading lies more than
 * {@code ttl} behind the task's stream time (the latest reading time the task has seen), and a sensor whose
 * reading comes more than {@code ttl} after its last accepted one starts over. Reading times, not the wall
 * clock, decide, so a replay of the same readings expires the same sensors: a backfill of old readings, or a
 * service that was stopped for a month, does not find every sensor departed.
 *
 * <p>Every {@code every} of wall-clock time, the sweep reads at most {@code slice} states onward from where
 * the previous one stopped, so its work per punctuation is bounded however many sensors the store holds.
 *
 * @param ttl how long a sensor may stay silent; zero keeps states for ever
 */
public record StateExpiry(Duration ttl, Duration every, int slice) {

  /** 30 days; a sweep of 1000 states every 10 s passes over a million sensors in under three hours. */
  public static final StateExpiry DEFAULT = new StateExpiry(Duration.ofDays(30), Duration.ofSeconds(10), 1000);

  public StateExpiry {
    if (ttl == null || ttl.isNegative()) throw new IllegalArgumentException("state ttl must be >= 0, got " + ttl);
    if (every == null || every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("state sweep interval must be > 0, got " + every);
    }
    if (slice < 1) throw new IllegalArgumentException("state sweep slice must be >= 1, got " + slice);
  }

  public StateExpiry withTtl(Duration newTtl) {
    return new StateExpiry(newTtl, every, slice);
  }

  boolean enabled() {
    return !ttl.isZero();
  }

  /** Whether a state last fed at {@code lastMillis} has expired by {@code nowMillis}, both reading times. */
  boolean expired(long lastMillis, long nowMillis) {
    return enabled() && nowMillis > lastMillis && saturatedDifference(nowMillis, lastMillis) > ttl.toMillis();
  }

  /** now - last for now > last, at most Long.MAX_VALUE (a state's first-reading sentinel is Long.MIN_VALUE). */
  private static long saturatedDifference(long now, long last) {
    long difference = now - last;
    return difference < 0 ? Long.MAX_VALUE : difference;
  }
}
