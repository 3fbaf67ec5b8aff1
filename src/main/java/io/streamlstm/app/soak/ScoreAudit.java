package io.streamlstm.app.soak;

import io.streamlstm.detect.Detector;
import io.streamlstm.detect.DetectorConfig;
import io.streamlstm.detect.Outcome;
import io.streamlstm.detect.Reading;
import io.streamlstm.detect.SensorState;
import io.streamlstm.detect.simulation.SimulatedReading;
import io.streamlstm.lstm.Models;
import io.streamlstm.streams.ScoreJson;
import io.streamlstm.streams.StreamSettings;
import io.streamlstm.streams.Timestamps;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the committed scores of a run against the undisturbed run: the offline {@link Detector} (shipped
 * model, default settings) over each sensor's readings in order. Scores are fed in offset order per
 * partition, where a sensor's scores must come in its readings' order; the offline run is stepped along
 * with them, so a million readings need no million expected scores in memory. A score equals the
 * undisturbed one when its JSON is byte for byte what {@link ScoreJson} writes for the offline score,
 * which holds every double exactly.
 */
public final class ScoreAudit {

  private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":\"([^\"]+)\"");

  /** What the audit found; a clean run has scores == expected and every other count 0. */
  public record Result(long expected, long scores, long lost, long duplicated, long unequal, long unknown) {
    public boolean clean() {
      return scores == expected && lost == 0 && duplicated == 0 && unequal == 0 && unknown == 0;
    }

    @Override
    public String toString() {
      return String.format("%,d scores for %,d accepted readings: %d lost, %d duplicated, %d unequal, %d for no reading",
          scores, expected, lost, duplicated, unequal, unknown);
    }
  }

  private final Detector detector = new Detector(Models.loadDefault(), DetectorConfig.defaults());
  private final Map<String, Sensor> sensors = new HashMap<>();
  private long expected;
  private long scores;
  private long lost;
  private long duplicated;
  private long unequal;
  private long unknown;

  /** One sensor's readings in the order they were sent, and how far the offline run has come. */
  private final class Sensor {
    long[] times = new long[16];
    double[] values = new double[16];
    int count;
    final SensorState state = detector.newState();
    int next; // the reading the next score should belong to
    Outcome nextOutcome; // the offline outcome of reading next, once computed

    void add(long time, double value) {
      if (count == times.length) {
        times = Arrays.copyOf(times, count * 2);
        values = Arrays.copyOf(values, count * 2);
      }
      times[count] = time;
      values[count] = value;
      count++;
    }

    Outcome outcome(int index) {
      while (next < index) {
        if (offline().accepted()) lost++;
        advance();
      }
      return offline();
    }

    Outcome offline() {
      if (nextOutcome == null) nextOutcome = detector.process(state, Reading.single(times[next], values[next]));
      return nextOutcome;
    }

    /** Every reading passes here once, scored or not: the accepted ones are the scores expected. */
    void advance() {
      if (offline().accepted()) expected++;
      nextOutcome = null;
      next++;
    }
  }

  /** A reading that was sent, in sending order (its sensor's readings must come in time order). */
  public void sent(SimulatedReading reading) {
    sensors.computeIfAbsent(reading.sensorId(), id -> new Sensor()).add(reading.timestampMillis(), reading.value());
  }

  /** A committed score, in offset order within its partition. */
  public void score(String sensorId, byte[] json) {
    scores++;
    Sensor sensor = sensors.get(sensorId);
    Matcher time = TIMESTAMP.matcher(new String(json, StandardCharsets.UTF_8));
    int index = sensor == null || !time.find() ? -1 : Arrays.binarySearch(sensor.times, 0, sensor.count,
        Timestamps.parse(time.group(1)));
    if (index < 0) {
      unknown++;
      return;
    }
    if (index < sensor.next) {
      duplicated++;
      return;
    }
    Outcome outcome = sensor.outcome(index);
    if (!outcome.accepted() || !Arrays.equals(ScoreJson.write(sensorId, StreamSettings.DEFAULT_MODEL_NAME, outcome.score()), json)) unequal++;
    sensor.advance();
  }

  /** Ends the audit: readings after a sensor's last score that the offline run accepted are lost too. */
  public Result result() {
    for (Sensor sensor : sensors.values()) {
      while (sensor.next < sensor.count) {
        if (sensor.offline().accepted()) lost++;
        sensor.advance();
      }
    }
    return new Result(expected, scores, lost, duplicated, unequal, unknown);
  }
}
