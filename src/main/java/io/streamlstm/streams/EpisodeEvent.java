package io.streamlstm.streams;

import io.streamlstm.detect.Explanation;
import io.streamlstm.detect.Reading;
import java.util.Locale;

/**
 * One event of an episode, as it goes to the anomalies topic:
 * {@code {"event","episodeId","sensorId","start","end","peakLikelihood","peakSurprise","reason","deviation",
 * "referenceExpected","referenceLower","referenceUpper","readingsFlagged"}}: the reason, deviation and reference
 * band are the peak's, as its score has them ({@code "reasonChannel"} names the channel of a multi-channel
 * sensor). The id is the sensor id and the episode's start, so the same readings always give the same id.
 */
public record EpisodeEvent(Kind kind, String sensorId, EpisodeState episode) {

  public enum Kind {
    OPENED, UPDATED, CLOSED;

    /** As written in the event's JSON and in metric names. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public String episodeId() {
    return sensorId + "@" + Timestamps.format(episode.startMillis());
  }

  public byte[] toJson() {
    final Explanation why = episode.peakExplanation();
    final JsonObjectWriter json = new JsonObjectWriter()
        .field("event", kind.wireName())
        .field("episodeId", episodeId())
        .field("sensorId", sensorId)
        .field("start", Timestamps.format(episode.startMillis()))
        .field("end", Timestamps.format(episode.endMillis()))
        .field("peakLikelihood", episode.peakLikelihood())
        .field("peakSurprise", episode.peakSurprise())
        .field("reason", why.reason().name());
    if (!Reading.VALUE.equals(why.channel())) json.field("reasonChannel", why.channel());
    return json.field("deviation", why.deviation())
        .field("referenceExpected", why.expected())
        .field("referenceLower", why.lower())
        .field("referenceUpper", why.upper())
        .field("readingsFlagged", episode.flagged())
        .end();
  }
}
