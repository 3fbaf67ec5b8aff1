package io.streamlstm.streams;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.streamlstm.detect.Reading;
import io.streamlstm.detect.Score;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The wire form of a score, one JSON object per accepted reading:
 * {@code {"sensorId","timestamp","value","expected","lower","upper","likelihood","anomaly","warmingUp","modelVersion"}}.
 * A multi-channel reading has objects keyed by channel instead ({@code "values":{"temp":..},"expected":{..}}
 * and so on) plus {@code "channelShares"}, each channel's part in the likelihood. Numbers that are not
 * finite (nothing predicted yet) are written as {@code null}: JSON has no NaN.
 */
public final class ScoreJson {

  // Schubfach instead of Double.toString: a few times faster, and still the shortest text that reads back
  // as the same double, so scores keep every bit.
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  private ScoreJson() {}

  public static byte[] write(String sensorId, Score score) {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator json = FACTORY.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeStringField("sensorId", sensorId);
      json.writeStringField("timestamp", Timestamps.format(score.timestampMillis()));
      final boolean single = score.channels().length == 1 && Reading.VALUE.equals(score.channels()[0]);
      if (single) {
        number(json, "value", score.values()[0]);
        number(json, "expected", score.expected()[0]);
        number(json, "lower", score.lower()[0]);
        number(json, "upper", score.upper()[0]);
      } else {
        perChannel(json, "values", score.channels(), score.values());
        perChannel(json, "expected", score.channels(), score.expected());
        perChannel(json, "lower", score.channels(), score.lower());
        perChannel(json, "upper", score.channels(), score.upper());
        perChannel(json, "channelShares", score.channels(), score.channelShares());
      }
      number(json, "likelihood", score.likelihood());
      json.writeBooleanField("anomaly", score.anomaly());
      json.writeBooleanField("warmingUp", score.warmingUp());
      json.writeStringField("modelVersion", score.modelVersion());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory does not fail
    }
    return bytes.toByteArray();
  }

  private static void perChannel(JsonGenerator json, String name, String[] channels, double[] values)
      throws IOException {
    json.writeObjectFieldStart(name);
    for (int c = 0; c < channels.length; c++) number(json, channels[c], values[c]);
    json.writeEndObject();
  }

  private static void number(JsonGenerator json, String name, double value) throws IOException {
    if (Double.isFinite(value)) json.writeNumberField(name, value);
    else json.writeNullField(name);
  }
}
