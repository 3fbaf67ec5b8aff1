package io.streamlstm.app.web;

import io.streamlstm.detect.Explanation;
import java.util.Arrays;

/**
 * One sensor on the live page: its latest score and a ring of its most recent points for the chart.
 * Points are kept as floats (the chart draws pixels) except the time, and the likelihood is kept as the
 * detector's surprise (−log10 of the tail behind it), whose extreme end survives the float where 1 − likelihood
 * would not.
 * The ring grows on demand up to its capacity, so a quiet fleet costs little.
 */
final class SensorHistory {

  private static final int INITIAL_CAPACITY = 64;

  private final int capacity;
  private long[] time = new long[0];
  private float[] value = new float[0];
  private float[] expected = new float[0];
  private float[] lower = new float[0];
  private float[] upper = new float[0];
  private float[] surprise = new float[0];
  private boolean[] anomaly = new boolean[0];
  /** The reason of each anomaly (its {@link Explanation.Reason} ordinal), −1 for a reading not flagged. */
  private byte[] reason = new byte[0];
  /** Index of the oldest point once the ring is full; points are in arrival order from there. */
  private int start;
  private int size;

  String channel;
  /** The name of the model that scored its latest reading. */
  String model;
  long readings;
  long anomalies;
  Point latest;

  /** One score as the page shows it; numbers not yet known (nothing predicted) are NaN. */
  record Point(long timestampMillis, double value, double expected, double lower, double upper, double likelihood,
               double surprise, boolean anomaly, Explanation.Reason reason, boolean warmingUp) {}

  SensorHistory(int capacity) {
    this.capacity = capacity;
  }

  void add(String channel, String model, Point p) {
    this.channel = channel;
    this.model = model;
    readings++;
    if (p.anomaly()) anomalies++;
    latest = p;
    if (size == time.length && size < capacity) grow(Math.min(capacity, Math.max(INITIAL_CAPACITY, size * 2)));
    final int at = (start + size) % time.length;
    time[at] = p.timestampMillis();
    value[at] = (float) p.value();
    // No band while warming up, as in the offline report: the first bands of a fresh state can be huge.
    expected[at] = p.warmingUp() ? Float.NaN : (float) p.expected();
    lower[at] = p.warmingUp() ? Float.NaN : (float) p.lower();
    upper[at] = p.warmingUp() ? Float.NaN : (float) p.upper();
    surprise[at] = (float) p.surprise();
    anomaly[at] = p.anomaly();
    reason[at] = p.anomaly() ? (byte) p.reason().ordinal() : -1;
    if (size < time.length) {
      size++;
    } else {
      start = (start + 1) % time.length;
    }
  }

  private void grow(int newCapacity) {
    // Only ever called while the ring has not wrapped (start == 0), so a plain copy keeps the order.
    time = Arrays.copyOf(time, newCapacity);
    value = Arrays.copyOf(value, newCapacity);
    expected = Arrays.copyOf(expected, newCapacity);
    lower = Arrays.copyOf(lower, newCapacity);
    upper = Arrays.copyOf(upper, newCapacity);
    surprise = Arrays.copyOf(surprise, newCapacity);
    anomaly = Arrays.copyOf(anomaly, newCapacity);
    reason = Arrays.copyOf(reason, newCapacity);
  }

  int size() {
    return size;
  }

  /** The kept points, oldest first, column by column: what the chart library draws directly. */
  Columns columns() {
    final Columns c = new Columns(new long[size], new float[size], new float[size], new float[size], new float[size],
        new float[size], new boolean[size], new byte[size]);
    for (int k = 0; k < size; k++) {
      final int at = (start + k) % time.length;
      c.time[k] = time[at];
      c.value[k] = value[at];
      c.expected[k] = expected[at];
      c.lower[k] = lower[at];
      c.upper[k] = upper[at];
      c.surprise[k] = surprise[at];
      c.anomaly[k] = anomaly[at];
      c.reason[k] = reason[at];
    }
    return c;
  }

  /** A copy of the ring, taken under the view's lock and written out after it. */
  record Columns(long[] time, float[] value, float[] expected, float[] lower, float[] upper, float[] surprise,
                 boolean[] anomaly, byte[] reason) {}
}
