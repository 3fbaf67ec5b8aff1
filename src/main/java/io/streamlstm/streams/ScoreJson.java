package io.streamlstm.streams;

import io.streamlstm.detect.Explanation;
import io.streamlstm.detect.Reading;
import io.streamlstm.detect.Score;

/**
 * The wire form of a score, one JSON object per accepted reading:
 * {@code {"sensorId","timestamp","value","expected","lower","upper","likelihood","surprise","reason","deviation",
 * "referenceExpected","referenceLower","referenceUpper","anomaly","warmingUp","model","modelVersion"}}: the reason is
 * the evidence that decided the score, the deviation how far off it was in that evidence's spreads, the reference
 * the band it was judged against (with several channels, {@code "reasonChannel"} names the channel); the model is
 * the name of the model that scored it ({@link ModelRoutes}), the version that model's. A flagged reading that a
 * rule or feedback kept from alerting carries {@code "suppressed"}, saying which.
 * A multi-channel reading has objects keyed by channel instead ({@code "values":{"temp":..},"expected":{..}}
 * and so on) plus {@code "channelShares"}, each channel's part in the likelihood. Numbers that are not
 * finite (nothing predicted yet) are written as {@code null}: JSON has no NaN.
 */
public final class ScoreJson {

  // Encoded once: the same names are written for every reading.
  private static final JsonObjectWriter.Name SENSOR_ID = new JsonObjectWriter.Name("sensorId");
  private static final JsonObjectWriter.Name TIMESTAMP = new JsonObjectWriter.Name("timestamp");
  private static final JsonObjectWriter.Name VALUE = new JsonObjectWriter.Name("value");
  private static final JsonObjectWriter.Name EXPECTED = new JsonObjectWriter.Name("expected");
  private static final JsonObjectWriter.Name LOWER = new JsonObjectWriter.Name("lower");
  private static final JsonObjectWriter.Name UPPER = new JsonObjectWriter.Name("upper");
  private static final JsonObjectWriter.Name LIKELIHOOD = new JsonObjectWriter.Name("likelihood");
  private static final JsonObjectWriter.Name SURPRISE = new JsonObjectWriter.Name("surprise");
  private static final JsonObjectWriter.Name REASON = new JsonObjectWriter.Name("reason");
  private static final JsonObjectWriter.Name DEVIATION = new JsonObjectWriter.Name("deviation");
  private static final JsonObjectWriter.Name REFERENCE_EXPECTED = new JsonObjectWriter.Name("referenceExpected");
  private static final JsonObjectWriter.Name REFERENCE_LOWER = new JsonObjectWriter.Name("referenceLower");
  private static final JsonObjectWriter.Name REFERENCE_UPPER = new JsonObjectWriter.Name("referenceUpper");
  private static final JsonObjectWriter.Name ANOMALY = new JsonObjectWriter.Name("anomaly");
  private static final JsonObjectWriter.Name WARMING_UP = new JsonObjectWriter.Name("warmingUp");
  private static final JsonObjectWriter.Name MODEL = new JsonObjectWriter.Name("model");
  private static final JsonObjectWriter.Name MODEL_VERSION = new JsonObjectWriter.Name("modelVersion");

  private ScoreJson() {}

  public static byte[] write(String sensorId, String model, Score score) {
    return write(sensorId, model, score, null);
  }

  /** With {@code "suppressed"} after the anomaly flag when {@code suppressed} is not null: why it raised no alert. */
  public static byte[] write(String sensorId, String model, Score score, String suppressed) {
    final JsonObjectWriter json = JsonObjectWriter.reused()
        .field(SENSOR_ID, sensorId)
        .field(TIMESTAMP, Timestamps.format(score.timestampMillis()));
    final String[] channels = score.channels();
    if (channels.length == 1 && Reading.VALUE.equals(channels[0])) {
      json.field(VALUE, score.values()[0])
          .field(EXPECTED, score.expected()[0])
          .field(LOWER, score.lower()[0])
          .field(UPPER, score.upper()[0]);
    } else {
      json.field("values", channels, score.values())
          .field("expected", channels, score.expected())
          .field("lower", channels, score.lower())
          .field("upper", channels, score.upper())
          .field("channelShares", channels, score.channelShares());
    }
    final Explanation why = score.explanation();
    json.field(LIKELIHOOD, score.likelihood())
        .field(SURPRISE, score.surprise())
        .field(REASON, why.reason().name());
    if (channels.length > 1) json.field("reasonChannel", why.channel());
    json.field(DEVIATION, why.deviation())
        .field(REFERENCE_EXPECTED, why.expected())
        .field(REFERENCE_LOWER, why.lower())
        .field(REFERENCE_UPPER, why.upper())
        .field(ANOMALY, score.anomaly());
    if (suppressed != null) json.field("suppressed", suppressed);
    return json.field(WARMING_UP, score.warmingUp())
        .field(MODEL, model)
        .field(MODEL_VERSION, score.modelVersion())
        .end();
  }
}
