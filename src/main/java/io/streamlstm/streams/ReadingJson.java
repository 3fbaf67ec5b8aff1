package io.streamlstm.streams;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.streamlstm.detect.Reading;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The wire form of a reading: {@code {"sensorId":"pump-7","timestamp":"2026-01-01T00:00:00Z","value":1.23}},
 * or with several channels {@code "values":{"temp":71.2,"vibration":0.31}}. The timestamp is ISO-8601 or
 * epoch milliseconds ({@link Timestamps#parse}).
 *
 * <p>Only the shape is checked here; whether the numbers are usable (finite, the sensor's channels, time
 * moving forward) is the detector's call, so the stream and a replay refuse exactly the same readings.
 * Read with Jackson's streaming parser, field by field: every record is read twice (event time, then the
 * reading) and a tree per record would cost as much as the JSON is small.
 */
public final class ReadingJson {

  // NaN and Infinity tokens are read as numbers so that the detector refuses them as NOT_FINITE, the
  // same reason a 1e999 overflow gets, instead of as unreadable JSON. The fast double parser is
  // correctly rounded, as Double.parseDouble is: same bits, less time.
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .build();

  private ReadingJson() {}

  /**
   * Reads {@code bytes} as a reading of sensor {@code key}; a null or empty key means "take the sensor
   * from the value". A value naming another sensor than the key is refused: the record would otherwise
   * land in the wrong sensor's state.
   */
  public static SensorReading parse(String key, byte[] bytes) throws BadReadingException {
    String sensorId = null;
    Long timestamp = null;
    Double single = null;
    Map<String, Double> channels = null;
    try (JsonParser json = objectParser(bytes)) {
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        final String field = json.currentName();
        json.nextToken();
        switch (field) {
          case "sensorId" -> sensorId = sensorId(json);
          case "timestamp" -> timestamp = timestamp(json);
          case "value" -> single = number("value", json);
          case "values" -> channels = channels(json);
          default -> json.skipChildren();
        }
      }
      // Anything after the object means the record is not what it seems: refuse it.
      if (json.nextToken() != null) throw new BadReadingException("not JSON: content after the object");
    } catch (JsonProcessingException e) {
      throw new BadReadingException("not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadReadingException("not JSON: " + e.getMessage());
    }
    final String sensor = sensorOf(key, sensorId);
    if (timestamp == null) throw new BadReadingException("no 'timestamp'");
    if (single != null && channels != null) throw new BadReadingException("both 'value' and 'values' given");
    if (single != null) return new SensorReading(sensor, Reading.single(timestamp, single));
    if (channels == null) throw new BadReadingException("no 'value' or 'values'");
    final String[] names = channels.keySet().toArray(new String[0]);
    final double[] values = new double[names.length];
    for (int c = 0; c < names.length; c++) values[c] = channels.get(names[c]);
    return new SensorReading(sensor, new Reading(timestamp, names, values));
  }

  /** The sensor a key-less record belongs to, or "" when the record names none (it will be refused later). */
  public static String sensorIdOf(byte[] bytes) {
    try (JsonParser json = objectParser(bytes)) {
      if (!toField(json, "sensorId")) return "";
      return sensorId(json);
    } catch (BadReadingException | IOException e) {
      return "";
    }
  }

  /** The reading's own event time; reads no further than the timestamp. */
  public static long timestampOf(byte[] bytes) throws BadReadingException {
    try (JsonParser json = objectParser(bytes)) {
      if (!toField(json, "timestamp")) throw new BadReadingException("no 'timestamp'");
      return timestamp(json);
    } catch (IOException e) {
      throw new BadReadingException("not JSON: " + e.getMessage());
    }
  }

  /** A parser standing on the opening brace of {@code bytes}. */
  private static JsonParser objectParser(byte[] bytes) throws BadReadingException, IOException {
    if (bytes == null) throw new BadReadingException("no value (null record)");
    final JsonParser json = JSON.createParser(bytes);
    if (json.nextToken() != JsonToken.START_OBJECT) {
      json.close();
      throw new BadReadingException("not a JSON object");
    }
    return json;
  }

  /** Moves to the value of top-level field {@code name}; false when the object has none. */
  private static boolean toField(JsonParser json, String name) throws IOException {
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      final boolean found = name.equals(json.currentName());
      json.nextToken();
      if (found) return true;
      json.skipChildren();
    }
    return false;
  }

  private static String sensorId(JsonParser json) throws IOException, BadReadingException {
    if (json.currentToken() != JsonToken.VALUE_STRING || json.getText().isBlank()) {
      throw new BadReadingException("'sensorId' is not a non-empty string");
    }
    return json.getText();
  }

  private static String sensorOf(String key, String sensorId) throws BadReadingException {
    final boolean keyed = key != null && !key.isEmpty();
    if (sensorId == null) {
      if (keyed) return key;
      throw new BadReadingException("no record key and no 'sensorId'");
    }
    if (keyed && !key.equals(sensorId)) {
      throw new BadReadingException("record key '" + key + "' differs from sensorId '" + sensorId + "'");
    }
    return sensorId;
  }

  private static long timestamp(JsonParser json) throws IOException, BadReadingException {
    final JsonToken token = json.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT && json.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return json.getLongValue();
    }
    if (token != JsonToken.VALUE_STRING) {
      throw new BadReadingException("'timestamp' is neither ISO-8601 text nor epoch ms");
    }
    try {
      return Timestamps.parse(json.getText());
    } catch (IllegalArgumentException e) {
      throw new BadReadingException(e.getMessage());
    }
  }

  private static double number(String name, JsonParser json) throws IOException, BadReadingException {
    final JsonToken token = json.currentToken();
    if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
      throw new BadReadingException("'" + name + "' is not a number");
    }
    return json.getDoubleValue();
  }

  /** Channels in name order, so producers that order the fields differently still match one sensor state. */
  private static Map<String, Double> channels(JsonParser json) throws IOException, BadReadingException {
    if (json.currentToken() != JsonToken.START_OBJECT) {
      throw new BadReadingException("'values' is not an object");
    }
    final Map<String, Double> channels = new TreeMap<>();
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      final String channel = json.currentName();
      json.nextToken();
      channels.put(channel, number("values." + channel, json));
    }
    return channels;
  }
}
