package io.streamlstm.streams;

import java.util.Locale;

/**
 * One event of an episode, as it goes to the anomalies topic:
 * {@code {"event","episodeId","sensorId","start","end","peakLikelihood","peakSurprise","readingsFlagged"}}.
 * The id is the sensor id and the episode's start, so the same readings always give the same id.
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
    return new JsonObjectWriter()
        .field("event", kind.wireName())
        .field("episodeId", episodeId())
        .field("sensorId", sensorId)
        .field("start", Timestamps.format(episode.startMillis()))
        .field("end", Timestamps.format(episode.endMillis()))
        .field("peakLikelihood", episode.peakLikelihood())
        .field("peakSurprise", episode.peakSurprise())
        .field("readingsFlagged", episode.flagged())
        .end();
  }
}
