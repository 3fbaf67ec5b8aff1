package io.streamlstm.app;

import io.streamlstm.streams.BadReadingException;
import io.streamlstm.streams.FutureTimestamps;
import io.streamlstm.streams.ReadingJson;
import io.streamlstm.streams.SensorIdGlob;
import io.streamlstm.streams.SensorReading;
import io.streamlstm.streams.TopicRange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * A topic of readings, in the product's own JSON input format, as training series: each sensor's readings in the
 * order its partition holds them (the order the stream scores them in), one series per channel, since the stream
 * runs a one-channel model on each channel of a sensor. Readings are selected by their own timestamp and by sensor
 * id. A reading the stream would refuse is left out as it would be, by the stream's reason: not a reading
 * ({@code MALFORMED}), a value that is not finite, other channels than the sensor's first ones, a time earlier
 * than the sensor's last, a time too far ahead of its record's.
 */
final class TopicSeries {

  /** One channel of one sensor: {@code name} is the sensor id, then {@code /channel} for a multi-channel sensor. */
  record Series(String name, double[] values) {}

  /** The series (by sensor id, then channel), how many records were read, and the readings left out by reason. */
  record Result(List<Series> series, long records, long readingsSelected, Map<String, Long> leftOut) {}

  private TopicSeries() {}

  /**
   * Reads the whole of {@code topic} (as of now) and keeps the readings stamped in [{@code fromMillis},
   * {@code toMillis}] of sensors matching {@code sensors} (null: every sensor).
   */
  static Result read(Consumer<byte[], byte[]> consumer, String topic, long fromMillis, long toMillis,
      SensorIdGlob sensors, long futureToleranceMillis) {
    final Map<String, Sensor> bySensor = new TreeMap<>();
    final Map<String, Long> leftOut = new TreeMap<>();
    final long[] selected = {0};
    // Reading times decide, and a backfill's records can be written long after: the whole topic is read.
    final long records = TopicRange.read(consumer, topic, Long.MIN_VALUE, Long.MAX_VALUE, record -> {
      final String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
      final SensorReading parsed;
      try {
        parsed = ReadingJson.parse(key, record.value());
      } catch (BadReadingException e) {
        leftOut.merge("MALFORMED", 1L, Long::sum);
        return;
      }
      final long time = parsed.reading().timestampMillis();
      if (time < fromMillis || time > toMillis || (sensors != null && !sensors.matches(parsed.sensorId()))) return;
      final String refused = bySensor.computeIfAbsent(parsed.sensorId(), id -> new Sensor())
          .add(parsed.reading().channels(), parsed.reading().values(), time,
              FutureTimestamps.tooFarAhead(time, record.timestamp(), futureToleranceMillis));
      if (refused == null) {
        selected[0]++;
      } else {
        leftOut.merge(refused, 1L, Long::sum);
      }
    });
    final List<Series> series = new ArrayList<>();
    for (Map.Entry<String, Sensor> e : bySensor.entrySet()) {
      final Sensor sensor = e.getValue();
      if (sensor.channels == null) continue; // every reading of it refused
      for (int c = 0; c < sensor.channels.length; c++) {
        final String name = sensor.channels.length == 1 ? e.getKey() : e.getKey() + "/" + sensor.channels[c];
        series.add(new Series(name, Arrays.copyOf(sensor.values[c], sensor.count)));
      }
    }
    return new Result(series, records, selected[0], leftOut);
  }

  /** One sensor's readings so far, a column per channel, and what the stream's checks need of it. */
  private static final class Sensor {
    String[] channels;
    double[][] values;
    int count;
    long lastMillis = Long.MIN_VALUE;

    /** Adds the reading, or returns the reason the stream would refuse it for. */
    String add(String[] readingChannels, double[] readingValues, long time, boolean tooFarAhead) {
      if (tooFarAhead) return "FUTURE_TIMESTAMP";
      for (double v : readingValues) {
        if (!Double.isFinite(v)) return "NOT_FINITE";
      }
      if (channels == null) {
        channels = readingChannels;
        values = new double[channels.length][64];
      } else if (!Arrays.equals(channels, readingChannels)) {
        return "WRONG_CHANNELS";
      }
      if (time < lastMillis) return "TIME_BACKWARDS";
      lastMillis = time;
      if (count == values[0].length) {
        for (int c = 0; c < values.length; c++) values[c] = Arrays.copyOf(values[c], 2 * count);
      }
      for (int c = 0; c < values.length; c++) values[c][count] = readingValues[c];
      count++;
      return null;
    }
  }
}
