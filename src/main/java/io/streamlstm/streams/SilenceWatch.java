package io.streamlstm.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Tells when a sensor that reported regularly goes quiet ({@code silent}, once) and when it is back
 * ({@code resumed}). The timers are a wheel in a store keyed by due bucket then sensor id, so a check reads only
 * the timers due, never every sensor. A reading does not move its sensor's timer: when the timer comes due the
 * check looks at the sensor's last arrival and either calls it silent or sets the timer again at its real
 * deadline, so a sensor reporting steadily costs one timer write per quiet span allowed, not one per reading.
 */
final class SilenceWatch {

  /** Bucket keys are fixed-width hex, so their text order is their time order (times after 1970 only). */
  private static final int BUCKET_DIGITS = 16;

  private final SilenceSettings settings;
  private final KeyValueStore<String, byte[]> states;
  private final KeyValueStore<String, byte[]> timers;
  private final long bucketMillis;
  private final List<String> due = new ArrayList<>();

  SilenceWatch(SilenceSettings settings, KeyValueStore<String, byte[]> states, KeyValueStore<String, byte[]> timers) {
    this.settings = settings;
    this.states = states;
    this.timers = timers;
    this.bucketMillis = settings.every().toMillis();
  }

  /**
   * A reading of {@code sensorId} stamped {@code readingMillis} arrived at wall-clock {@code nowMillis}; returns
   * its {@code resumed} event when the sensor had been silent, else null.
   */
  byte[] reading(String sensorId, long readingMillis, long nowMillis) {
    final SilenceState before = load(sensorId);
    long usual = 0;
    int intervals = 0;
    long timer = SilenceState.NO_TIMER;
    if (before != null) {
      usual = before.usualIntervalMillis();
      intervals = before.intervals();
      timer = before.timerBucketMillis();
      final long gap = readingMillis - before.lastReadingMillis();
      if (gap > 0) {
        // An average forgetting with a weight of 1/8: it follows a sensor whose rate changes, within tens of readings.
        usual = intervals == 0 ? gap : usual + (gap - usual) / 8;
        intervals = Math.min(intervals + 1, settings.watchAfter());
      }
    }
    if (intervals >= settings.watchAfter() - 1 && timer == SilenceState.NO_TIMER) {
      timer = bucketAtOrAfter(nowMillis + settings.quietAllowedMillis(usual));
      timers.put(timerKey(timer, sensorId), new byte[0]);
    }
    states.put(sensorId, new SilenceState(readingMillis, nowMillis, usual, intervals, false, timer).encode());
    if (before == null || !before.silent()) return null;
    return new JsonObjectWriter()
        .field("event", "resumed")
        .field("sensorId", sensorId)
        .field("lastReading", Timestamps.format(before.lastReadingMillis()))
        .field("resumedAt", Timestamps.format(readingMillis))
        .end();
  }

  /** Reads the timers due by {@code nowMillis}, at most a slice of them, and gives each new silence to {@code silent}. */
  void check(long nowMillis, BiConsumer<String, byte[]> silent) {
    // Up to the bare key of the next bucket, which no timer has: every timer of a bucket begun by now.
    final String nextBucket = timerKey(bucketAtOrAfter(nowMillis + 1), "");
    try (KeyValueIterator<String, byte[]> timersDue = timers.range(null, nextBucket)) {
      while (due.size() < settings.slice() && timersDue.hasNext()) {
        final KeyValue<String, byte[]> timer = timersDue.next();
        due.add(timer.key);
      }
    }
    for (String key : due) {
      timers.delete(key);
      final String sensorId = key.substring(BUCKET_DIGITS);
      final SilenceState state = load(sensorId);
      // A timer the state does not name is stale (its state was unreadable and watched afresh): one timer a sensor.
      if (state == null || state.timerBucketMillis() != Long.parseUnsignedLong(key, 0, BUCKET_DIGITS, 16)) continue;
      final long allowed = settings.quietAllowedMillis(state.usualIntervalMillis());
      final long deadline = state.lastArrivalMillis() + allowed;
      if (deadline <= nowMillis) {
        states.put(sensorId, new SilenceState(state.lastReadingMillis(), state.lastArrivalMillis(),
            state.usualIntervalMillis(), state.intervals(), true, SilenceState.NO_TIMER).encode());
        silent.accept(sensorId, new JsonObjectWriter()
            .field("event", "silent")
            .field("sensorId", sensorId)
            .field("lastReading", Timestamps.format(state.lastReadingMillis()))
            .field("usualInterval", Duration.ofMillis(state.usualIntervalMillis()).toString())
            .field("quietFor", Duration.ofMillis(nowMillis - state.lastArrivalMillis()).toString())
            .end());
      } else {
        final long bucket = bucketAtOrAfter(deadline);
        timers.put(timerKey(bucket, sensorId), new byte[0]);
        states.put(sensorId, new SilenceState(state.lastReadingMillis(), state.lastArrivalMillis(),
            state.usualIntervalMillis(), state.intervals(), false, bucket).encode());
      }
    }
    due.clear();
  }

  /** The first bucket boundary at or after {@code millis}: a timer there fires at the first check past its deadline. */
  private long bucketAtOrAfter(long millis) {
    final long remainder = Math.floorMod(millis, bucketMillis);
    return remainder == 0 ? millis : millis - remainder + bucketMillis;
  }

  /** Null when there is none, or when it cannot be read: the sensor is then watched afresh. */
  private SilenceState load(String sensorId) {
    final byte[] stored = states.get(sensorId);
    if (stored == null) return null;
    try {
      return SilenceState.decode(stored);
    } catch (IllegalArgumentException unreadable) {
      return null;
    }
  }

  private static String timerKey(long bucket, String sensorId) {
    final String hex = Long.toHexString(bucket);
    return "0".repeat(BUCKET_DIGITS - hex.length()) + hex + sensorId;
  }
}
