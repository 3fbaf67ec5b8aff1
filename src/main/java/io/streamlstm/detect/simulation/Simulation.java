package io.streamlstm.detect.simulation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Readings of many simulated sensors with faults injected, and the ground truth of those faults.
 * Seeded: the same sensors, seed, start and step give the same readings, whatever the pace they are
 * taken at. Sensors {@code sensor-0 .. sensor-(n-1)} all read at the same instants, {@code stepMillis}
 * apart in simulated time (one reading a minute by default, so a day is 1440 readings), and
 * {@link #next()} hands them out round robin.
 */
public final class Simulation {

  /** Where simulated time starts unless told otherwise: a fixed instant, so runs are reproducible. */
  public static final long DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  public static final long DEFAULT_STEP_MILLIS = 60_000;

  private final SensorSignal[] sensors;
  private final long startMillis;
  private final long stepMillis;
  private long produced;

  public Simulation(int sensors, long seed) {
    this(sensors, seed, DEFAULT_START, DEFAULT_STEP_MILLIS);
  }

  public Simulation(int sensors, long seed, long startMillis, long stepMillis) {
    if (sensors < 1) throw new IllegalArgumentException("sensors must be >= 1, got " + sensors);
    if (stepMillis < 1) throw new IllegalArgumentException("step must be >= 1 ms, got " + stepMillis);
    SplittableRandom root = new SplittableRandom(seed);
    this.sensors = new SensorSignal[sensors];
    for (int k = 0; k < sensors; k++) this.sensors[k] = new SensorSignal("sensor-" + k, root.split(), stepMillis);
    this.startMillis = startMillis;
    this.stepMillis = stepMillis;
  }

  public int sensors() {
    return sensors.length;
  }

  /** The next reading: sensor {@code n mod sensors} at instant {@code n / sensors}. */
  public SimulatedReading next() {
    int k = (int) (produced % sensors.length);
    long instant = produced / sensors.length;
    produced++;
    return sensors[k].next(startMillis + instant * stepMillis);
  }

  /** Readings handed out so far. */
  public long produced() {
    return produced;
  }

  /** The faults shown by the readings handed out so far, ends clipped to each sensor's last reading; by start, then sensor. */
  public List<Anomaly> groundTruth() {
    List<Anomaly> all = new ArrayList<>();
    for (int k = 0; k < sensors.length; k++) {
      long taken = produced / sensors.length + (k < produced % sensors.length ? 1 : 0);
      if (taken == 0) continue;
      long last = startMillis + (taken - 1) * stepMillis;
      for (Anomaly a : sensors[k].truth()) {
        if (a.startMillis() <= last) {
          all.add(new Anomaly(a.sensorId(), a.startMillis(), Math.min(a.endMillis(), last), a.kind()));
        }
      }
    }
    all.sort((a, b) -> a.startMillis() != b.startMillis()
        ? Long.compare(a.startMillis(), b.startMillis())
        : a.sensorId().compareTo(b.sensorId()));
    return all;
  }

  /** Writes {@link #groundTruth()} as CSV: {@code sensorId,start,end,kind} with ISO-8601 times. */
  public void writeGroundTruth(Path file) {
    try (Writer out = Files.newBufferedWriter(file)) {
      out.write("sensorId,start,end,kind\n");
      for (Anomaly a : groundTruth()) {
        out.write(a.sensorId() + "," + Instant.ofEpochMilli(a.startMillis()) + ","
            + Instant.ofEpochMilli(a.endMillis()) + "," + a.kind() + "\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
