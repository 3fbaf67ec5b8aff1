package io.streamlstm.streams;

import io.streamlstm.detect.SensorState;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Tells when a sensor that reported regularly goes quiet ({@code silent}, once) and when it is back
 * ({@code resumed}). The timers are a wheel in a store keyed by due bucket then sensor id, so a check reads only
 * the timers due, never every sensor. A reading writes nothing here (it reads its sensor's entry, to see whether it
 * was silent or is not watched yet): when a timer comes due, the check reads the sensor's last reading time and
 * reading count from its sensor state, finds its usual interval since the timer was set, and either calls it
 * silent or sets the timer again, so a sensor reporting steadily costs a write per quiet span allowed.
 *
 * <p>The quiet is the task's stream time minus the sensor's last reading time, plus the wall time since the task
 * last processed a record: while readings flow, even old ones in a backfill, reading times decide; when nothing
 * arrives at all, the wall clock goes on counting.
 *
 * <p>How many of the task's sensors are silent now is kept in the same store, under the empty key (no sensor has
 * an empty id), changed with each event in its transaction, so a restored task knows it without a scan. It is read
 * at the task's first check; a store written before the count existed is counted then, once.
 */
final class SilenceWatch {

  /** Bucket keys are fixed-width hex, so their text order is their time order (times after 1970 only). */
  private static final int BUCKET_DIGITS = 16;
  /** The key of the task's count of silent sensors in the state store. */
  static final String SILENT_COUNT_KEY = "";

  private final SilenceSettings settings;
  private final KeyValueStore<String, byte[]> states;
  private final KeyValueStore<String, byte[]> timers;
  private final KeyValueStore<String, byte[]> sensorStates;
  private final ScoringObserver observer;
  private final String task;
  private final long bucketMillis;
  private final List<String> due = new ArrayList<>();
  /** The task's silent sensors; negative until read from the store. */
  private long silentNow = -1;

  /** Reports to {@code observer} each event, and the silent sensors of {@code task} (from its first check on). */
  SilenceWatch(SilenceSettings settings, KeyValueStore<String, byte[]> states, KeyValueStore<String, byte[]> timers,
      KeyValueStore<String, byte[]> sensorStates, ScoringObserver observer, String task) {
    this.settings = settings;
    this.states = states;
    this.timers = timers;
    this.sensorStates = sensorStates;
    this.observer = observer;
    this.task = task;
    this.bucketMillis = settings.every().toMillis();
  }

  private void readSilentNow() {
    if (silentNow >= 0) return;
    final byte[] count = states.get(SILENT_COUNT_KEY);
    if (count != null) {
      silentNow = ByteBuffer.wrap(count).getLong();
    } else {
      silentNow = countSilent();
      saveSilentNow();
    }
    observer.silentSensors(task, silentNow);
  }

  /** The task's silent sensors, counted in a store written before the count was kept. */
  private long countSilent() {
    long silent = 0;
    try (KeyValueIterator<String, byte[]> all = states.all()) {
      while (all.hasNext()) {
        final KeyValue<String, byte[]> entry = all.next();
        if (entry.key.equals(SILENT_COUNT_KEY)) continue;
        final SilenceState state = decodedOrNull(entry.value, SilenceState::decode);
        if (state != null && state.silent()) silent++;
      }
    }
    return silent;
  }

  private void changeSilentNow(int by) {
    readSilentNow();
    silentNow += by;
    saveSilentNow();
    observer.silence(by > 0);
    observer.silentSensors(task, silentNow);
  }

  private void saveSilentNow() {
    states.put(SILENT_COUNT_KEY, ByteBuffer.allocate(Long.BYTES).putLong(silentNow).array());
  }

  /**
   * {@code sensorId}'s state was removed as departed ({@link StateExpiry}): it is no longer watched, nor counted among
   * the silent sensors. No event: it went silent once, and never came back. Its timer, if it has one, is stale from
   * now on and dropped when due.
   */
  void departed(String sensorId) {
    final SilenceState state = load(sensorId);
    if (state == null) return;
    states.delete(sensorId);
    if (state.silent()) {
      readSilentNow();
      silentNow--;
      saveSilentNow();
      observer.silentSensors(task, silentNow);
    }
  }

  /** The task is closing (its partition moved, or the service stops): its silent sensors are no longer this one's. */
  void close() {
    observer.silentSensors(task, 0);
  }

  /**
   * A reading of {@code sensorId} stamped {@code readingMillis}, its {@code readings}-th, was scored at wall-clock
   * {@code nowMillis}; returns its {@code resumed} event when the sensor had been silent, else null.
   */
  byte[] reading(String sensorId, long readingMillis, long readings, long nowMillis) {
    final SilenceState before = load(sensorId);
    if (before == null) {
      if (readings >= settings.watchAfter()) arm(sensorId, readingMillis, readings, 0, nowMillis);
      return null;
    }
    if (!before.silent()) return null;
    arm(sensorId, readingMillis, readings, before.usualIntervalMillis(), nowMillis);
    changeSilentNow(-1);
    return new JsonObjectWriter()
        .field("event", "resumed")
        .field("sensorId", sensorId)
        .field("lastReading", Timestamps.format(before.setAtReadingMillis()))
        .field("resumedAt", Timestamps.format(readingMillis))
        .end();
  }

  /**
   * Reads the timers due by {@code nowMillis}, at most a slice of them, and gives each new silence to {@code silent}.
   * {@code streamTimeMillis} is the task's stream time, {@code idleMillis} the wall time since it last processed a
   * record.
   */
  void check(long nowMillis, long streamTimeMillis, long idleMillis, BiConsumer<String, byte[]> silent) {
    readSilentNow();
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
      final SensorState sensor = sensorState(sensorId);
      if (sensor == null) { // departed (its state expired) or unreadable: nothing to watch
        states.delete(sensorId);
        continue;
      }
      final long last = sensor.lastTimestampMillis();
      final long readings = sensor.readings();
      // The average interval since the timer was set; none new when nothing came (or the sensor started over).
      final long usual = readings > state.setAtReadings() && last > state.setAtReadingMillis()
          ? (last - state.setAtReadingMillis()) / (readings - state.setAtReadings())
          : state.usualIntervalMillis();
      final long allowed = settings.quietAllowedMillis(usual);
      final long quiet = Math.max(0, streamTimeMillis - last) + idleMillis;
      if (usual > 0 && quiet >= allowed) {
        states.put(sensorId, new SilenceState(last, readings, usual, true, SilenceState.NO_TIMER).encode());
        changeSilentNow(+1);
        silent.accept(sensorId, new JsonObjectWriter()
            .field("event", "silent")
            .field("sensorId", sensorId)
            .field("lastReading", Timestamps.format(last))
            .field("usualInterval", Duration.ofMillis(usual).toString())
            .field("quietFor", Duration.ofMillis(quiet).toString())
            .end());
      } else {
        arm(sensorId, last, readings, usual, nowMillis + allowed - quiet);
      }
    }
    due.clear();
  }

  /** Sets the sensor's timer for {@code dueMillis} (at least a quiet span allowed, for one not yet measured). */
  private void arm(String sensorId, long readingMillis, long readings, long usual, long dueMillis) {
    final long bucket = bucketAtOrAfter(usual > 0 ? dueMillis : dueMillis + settings.quietAllowedMillis(0));
    timers.put(timerKey(bucket, sensorId), new byte[0]);
    states.put(sensorId, new SilenceState(readingMillis, readings, usual, false, bucket).encode());
  }

  /** The first bucket boundary at or after {@code millis}: a timer there fires at the first check past its deadline. */
  private long bucketAtOrAfter(long millis) {
    final long remainder = Math.floorMod(millis, bucketMillis);
    return remainder == 0 ? millis : millis - remainder + bucketMillis;
  }

  /** Null when there is none, or when it cannot be read: the sensor is then watched afresh. */
  private SilenceState load(String sensorId) {
    return decodedOrNull(states.get(sensorId), SilenceState::decode);
  }

  /** Null when there is none, or when it cannot be read (the scorer reports that at the sensor's next reading). */
  private SensorState sensorState(String sensorId) {
    return decodedOrNull(sensorStates.get(sensorId), SensorState::decode);
  }

  private static <T> T decodedOrNull(byte[] stored, Function<byte[], T> decode) {
    if (stored == null) return null;
    try {
      return decode.apply(stored);
    } catch (IllegalArgumentException unreadable) {
      return null;
    }
  }

  private static String timerKey(long bucket, String sensorId) {
    final String hex = Long.toHexString(bucket);
    return "0".repeat(BUCKET_DIGITS - hex.length()) + hex + sensorId;
  }
}
