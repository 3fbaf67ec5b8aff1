package io.streamlstm.streams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.streamlstm.detect.alerts.Feedback;
import io.streamlstm.detect.alerts.Label;
import java.io.IOException;
import java.time.Duration;

/**
 * The wire form of a label on a span of one sensor's readings:
 * {@code {"sensorId":"pump-7","from":"2026-01-01T05:00:00Z","to":"2026-01-01T06:00:00Z","label":"normal"}}
 * ({@code "anomaly"} for an incident the detector missed). Times are ISO-8601 or epoch ms, {@code to} inclusive. The
 * optional {@code "at"} says when the label was given; without it, the record's own Kafka time says so (in a file of
 * labels, the end of the span).
 *
 * <p>The label takes effect at the sensor's first reading stamped at or after the later of {@code to} and
 * {@code at} + the delay ({@link FeedbackSettings#delay()}): a point fixed by the record alone.
 */
public final class FeedbackJson {

  /** Labels are few: a tree per record is the plain way to read them. Trailing content is refused. */
  private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private FeedbackJson() {}

  /** A label and the sensor it is about. */
  public record SensorFeedback(String sensorId, Feedback feedback) {}

  /**
   * Reads {@code bytes}, keyed {@code key} (null or empty: the sensor is in the value), given at
   * {@code givenMillis} unless the record says otherwise; null: at the end of its span.
   */
  public static SensorFeedback parse(String key, byte[] bytes, Long givenMillis, Duration delay)
      throws BadReadingException {
    if (bytes == null) throw new BadReadingException("no value (null record)");
    final JsonNode label;
    try {
      label = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new BadReadingException("not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadReadingException("not JSON: " + e.getMessage());
    }
    if (label == null || !label.isObject()) throw new BadReadingException("not a JSON object");
    final JsonNode sensor = label.get("sensorId");
    if (sensor == null) throw new BadReadingException("no 'sensorId'");
    if (!sensor.isTextual() || sensor.asText().isBlank()) throw new BadReadingException("'sensorId' is not a non-empty string");
    final String sensorId = sensor.asText();
    if (key != null && !key.isEmpty() && !key.equals(sensorId)) {
      throw new BadReadingException("record key '" + key + "' differs from sensorId '" + sensorId + "'");
    }
    final long from = time(label, "from");
    final long to = time(label, "to");
    if (from > to) throw new BadReadingException("'to' is before 'from'");
    final Label kind = label(label.get("label"));
    final long given = label.has("at") ? time(label, "at") : givenMillis != null ? givenMillis : to;
    final long delayMillis = delay.toMillis();
    final long effective = Math.max(to, given > Long.MAX_VALUE - delayMillis ? Long.MAX_VALUE : given + delayMillis);
    return new SensorFeedback(sensorId, new Feedback(kind, from, to, effective));
  }

  /** ISO-8601 text or epoch milliseconds, as a reading's timestamp. */
  private static long time(JsonNode label, String field) throws BadReadingException {
    final JsonNode time = label.get(field);
    if (time == null) throw new BadReadingException("no '" + field + "'");
    if (time.isIntegralNumber() && time.canConvertToLong()) return time.asLong();
    if (!time.isTextual()) throw new BadReadingException("'" + field + "' is neither ISO-8601 text nor epoch ms");
    try {
      return Timestamps.parse(time.asText());
    } catch (IllegalArgumentException e) {
      throw new BadReadingException("'" + field + "': " + e.getMessage());
    }
  }

  private static Label label(JsonNode label) throws BadReadingException {
    if (label == null) throw new BadReadingException("no 'label'");
    for (Label known : Label.values()) {
      if (label.isTextual() && known.wireName().equals(label.asText())) return known;
    }
    throw new BadReadingException("'label' is neither \"normal\" nor \"anomaly\"");
  }
}
