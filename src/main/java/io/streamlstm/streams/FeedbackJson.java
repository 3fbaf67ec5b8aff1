package io.streamlstm.streams;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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

  private static final JsonFactory JSON = new JsonFactory();

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
    String sensorId = null;
    Long from = null;
    Long to = null;
    Long at = null;
    Label label = null;
    try (JsonParser json = JSON.createParser(bytes)) {
      if (json.nextToken() != JsonToken.START_OBJECT) throw new BadReadingException("not a JSON object");
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        final String field = json.currentName();
        json.nextToken();
        switch (field) {
          case "sensorId" -> sensorId = text(json, field);
          case "from" -> from = time(json, field);
          case "to" -> to = time(json, field);
          case "at" -> at = time(json, field);
          case "label" -> label = label(json);
          default -> json.skipChildren();
        }
      }
      if (json.nextToken() != null) throw new BadReadingException("not JSON: content after the object");
    } catch (JsonProcessingException e) {
      throw new BadReadingException("not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadReadingException("not JSON: " + e.getMessage());
    }
    final boolean keyed = key != null && !key.isEmpty();
    if (sensorId == null) throw new BadReadingException("no 'sensorId'");
    if (keyed && !key.equals(sensorId)) {
      throw new BadReadingException("record key '" + key + "' differs from sensorId '" + sensorId + "'");
    }
    if (from == null || to == null) throw new BadReadingException("no '" + (from == null ? "from" : "to") + "'");
    if (from > to) throw new BadReadingException("'to' is before 'from'");
    if (label == null) throw new BadReadingException("no 'label'");
    final long given = at != null ? at : givenMillis != null ? givenMillis : to;
    final long delayMillis = delay.toMillis();
    final long effective = Math.max(to, given > Long.MAX_VALUE - delayMillis ? Long.MAX_VALUE : given + delayMillis);
    return new SensorFeedback(sensorId, new Feedback(label, from, to, effective));
  }

  private static String text(JsonParser json, String field) throws IOException, BadReadingException {
    if (json.currentToken() != JsonToken.VALUE_STRING || json.getText().isBlank()) {
      throw new BadReadingException("'" + field + "' is not a non-empty string");
    }
    return json.getText();
  }

  private static long time(JsonParser json, String field) throws IOException, BadReadingException {
    if (json.currentToken() == JsonToken.VALUE_NUMBER_INT && json.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return json.getLongValue();
    }
    if (json.currentToken() != JsonToken.VALUE_STRING) {
      throw new BadReadingException("'" + field + "' is neither ISO-8601 text nor epoch ms");
    }
    try {
      return Timestamps.parse(json.getText());
    } catch (IllegalArgumentException e) {
      throw new BadReadingException("'" + field + "': " + e.getMessage());
    }
  }

  private static Label label(JsonParser json) throws IOException, BadReadingException {
    final String text = json.currentToken() == JsonToken.VALUE_STRING ? json.getText() : "";
    for (Label label : Label.values()) {
      if (label.wireName().equals(text)) return label;
    }
    throw new BadReadingException("'label' is neither \"normal\" nor \"anomaly\"");
  }
}
