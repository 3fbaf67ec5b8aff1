package io.streamlstm.streams;

/**
 * When an episode reports a new peak and when it ends, both counted in the sensor's own readings, so a
 * sensor that reports every second and one that reports hourly each get an episode at their own pace, and a
 * replay of the same readings gives the same events.
 *
 * @param updateEvery an open episode reports a new peak at most once per this many readings
 * @param closeAfter an episode closes after this many unflagged readings in a row
 */
public record EpisodeSettings(int updateEvery, int closeAfter) {

  /**
   * A lasting incident is flagged again about every 100 readings (the detector damps a surprise no larger than
   * its recent peak, with {@code detector.adaptHalfLife} 100): closing after 120 keeps such an incident in one
   * episode.
   */
  public static final EpisodeSettings DEFAULT = new EpisodeSettings(10, 120);

  public EpisodeSettings {
    if (updateEvery < 1) throw new IllegalArgumentException("episode update interval must be >= 1, got " + updateEvery);
    if (closeAfter < 1) throw new IllegalArgumentException("episode close span must be >= 1, got " + closeAfter);
  }
}
