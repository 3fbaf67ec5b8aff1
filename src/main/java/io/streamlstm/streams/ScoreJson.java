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

  private ScoreJson() {}

  public static byte[] write(String sensorId, String model, Score score) {
    return write(sensorId, model, score, null);
  }

  /** With {@code "suppressed"} after the anomaly flag when {@code suppressed} is not null: why it raised no alert. */
  public static byte[] write(String sensorId, String model, Score score, String suppressed) {
    final JsonObjectWriter json = JsonObjectWriter.reused()
        .field("sensorId", sensorId)
        .field("timestamp", Timestamps.format(score.timestampMillis()));
    final String[] channels = score.channels();
    if (channels.length == 1 && Reading.VALUE.equals(channels[0])) {
      json.field("value", score.values()[0])
          .field("expected", score.expected()[0])
          .field("lower", score.lower()[0])
          .field("upper", score.upper()[0]);
    } else {
      json.field("values", channels, score.values())
          .field("expected", channels, score.expected())
          .field("lower", channels, score.lower())
          .field("upper", channels, score.upper())
          .field("channelShares", channels, score.channelShares());
    }
    final Explanation why = score.explanation();
    json.field("likelihood", score.likelihood())
        .field("surprise", score.surprise())
        .field("reason", why.reason().name());
    if (channels.length > 1) json.field("reasonChannel", why.channel());
    json.field("deviation", why.deviation())
        .field("referenceExpected", why.expected())
        .field("referenceLower", why.lower())
        .field("referenceUpper", why.upper())
        .field("anomaly", score.anomaly());
    if (suppressed != null) json.field("suppressed", suppressed);
    return json.field("warmingUp", score.warmingUp())
        .field("model", model)
        .field("modelVersion", score.modelVersion())
        .end();
  }
}
