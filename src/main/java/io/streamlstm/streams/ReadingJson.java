package io.streamlstm.streams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.streamlstm.detect.Reading;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The wire form of a reading: {@code {"sensorId":"pump-7","timestamp":"2026-01-01T00:00:00Z","value":1.23}},
 * or with several channels {@code "values":{"temp":71.2,"vibration":0.31}}. The timestamp is ISO-8601 or
 * epoch milliseconds ({@link Timestamps#parse}).
 *
 * <p>Only the shape is checked here; whether the numbers are usable (finite, the sensor's channels, time
 * moving forward) is the detector's call, so the stream and a replay refuse exactly the same readings.
 */
public final class ReadingJson {

  // NaN and Infinity tokens are read as numbers so that the detector refuses them as NOT_FINITE, the
  // same reason a 1e999 overflow gets, instead of as unreadable JSON. Anything after the object is refused.
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private ReadingJson() {}

  /**
   * Reads {@code bytes} as a reading of sensor {@code key}; a null or empty key means "take the sensor
   * from the value". A value naming another sensor than the key is refused: the record would otherwise
   * land in the wrong sensor's state.
   */
  public static SensorReading parse(String key, byte[] bytes) throws BadReadingException {
    final JsonNode json = readObject(bytes);
    final String sensorId = sensorId(key, json);
    final long timestamp = timestamp(json);
    final JsonNode single = json.get("value");
    final JsonNode multi = json.get("values");
    if (single != null && multi != null) throw new BadReadingException("both 'value' and 'values' given");
    if (single != null) return new SensorReading(sensorId, Reading.single(timestamp, number("value", single)));
    if (multi != null) return new SensorReading(sensorId, channels(timestamp, multi));
    throw new BadReadingException("no 'value' or 'values'");
  }

  /** The sensor a key-less record belongs to, or "" when the record names none (it will be refused later). */
  public static String sensorIdOf(byte[] bytes) {
    try {
      return sensorId(null, readObject(bytes));
    } catch (BadReadingException e) {
      return "";
    }
  }

  /** The reading's own event time. */
  public static long timestampOf(byte[] bytes) throws BadReadingException {
    return timestamp(readObject(bytes));
  }

  private static JsonNode readObject(byte[] bytes) throws BadReadingException {
    if (bytes == null) throw new BadReadingException("no value (null record)");
    final JsonNode json;
    try {
      json = MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new BadReadingException("not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadReadingException("not JSON: " + e.getMessage());
    }
    if (json == null || !json.isObject()) throw new BadReadingException("not a JSON object");
    return json;
  }

  private static String sensorId(String key, JsonNode json) throws BadReadingException {
    final JsonNode field = json.get("sensorId");
    if (field != null && !(field.isTextual() && !field.asText().isBlank())) {
      throw new BadReadingException("'sensorId' is not a non-empty string");
    }
    final boolean keyed = key != null && !key.isEmpty();
    if (field == null) {
      if (keyed) return key;
      throw new BadReadingException("no record key and no 'sensorId'");
    }
    if (keyed && !key.equals(field.asText())) {
      throw new BadReadingException("record key '" + key + "' differs from sensorId '" + field.asText() + "'");
    }
    return field.asText();
  }

  private static long timestamp(JsonNode json) throws BadReadingException {
    final JsonNode field = json.get("timestamp");
    if (field == null) throw new BadReadingException("no 'timestamp'");
    if (field.isIntegralNumber() && field.canConvertToLong()) return field.asLong();
    if (!field.isTextual()) throw new BadReadingException("'timestamp' is neither ISO-8601 text nor epoch ms");
    try {
      return Timestamps.parse(field.asText());
    } catch (IllegalArgumentException e) {
      throw new BadReadingException(e.getMessage());
    }
  }

  private static double number(String name, JsonNode field) throws BadReadingException {
    if (!field.isNumber()) throw new BadReadingException("'" + name + "' is not a number");
    return field.asDouble();
  }

  /** Channels in name order, so producers that order the fields differently still match one sensor state. */
  private static Reading channels(long timestamp, JsonNode values) throws BadReadingException {
    if (!values.isObject()) throw new BadReadingException("'values' is not an object");
    final List<String> names = new ArrayList<>();
    for (Iterator<String> it = values.fieldNames(); it.hasNext(); ) names.add(it.next());
    names.sort(null);
    final String[] channels = names.toArray(new String[0]);
    final double[] numbers = new double[channels.length];
    for (int c = 0; c < channels.length; c++) {
      numbers[c] = number("values." + channels[c], values.get(channels[c]));
    }
    return new Reading(timestamp, channels, numbers);
  }
}
