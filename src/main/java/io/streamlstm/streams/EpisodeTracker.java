package io.streamlstm.streams;

import io.streamlstm.detect.Score;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a sensor's scores into episodes, one per incident: {@code opened} at its first flagged reading,
 * {@code updated} when a new peak came and {@link EpisodeSettings#updateEvery()} readings have passed since
 * the last event, {@code closed} after {@link EpisodeSettings#closeAfter()} unflagged readings in a row. It
 * decides by the scores alone, in reading order, so the stream, a restore of its store and the offline replay
 * give the same events. The open episodes live wherever the caller keeps them (the stream's store, a map).
 */
public final class EpisodeTracker {

  private static final Logger LOG = LoggerFactory.getLogger(EpisodeTracker.class);

  private final EpisodeSettings settings;
  private final Function<String, byte[]> load;
  private final BiConsumer<String, byte[]> save;

  /** {@code save} with null deletes the sensor's episode. */
  public EpisodeTracker(EpisodeSettings settings, Function<String, byte[]> load, BiConsumer<String, byte[]> save) {
    this.settings = settings;
    this.load = load;
    this.save = save;
  }

  /** The event {@code score} brings about on {@code sensorId}'s episode, or null when there is none. */
  public EpisodeEvent track(String sensorId, Score score) {
    return track(sensorId, score, score.anomaly());
  }

  /**
   * As {@link #track(String, Score)}, with {@code flagged} saying whether the reading alerts: false for a flagged one
   * that a rule or feedback suppressed ({@link AlertFilter}), which then counts as normal here.
   */
  public EpisodeEvent track(String sensorId, Score score, boolean flagged) {
    final EpisodeState open = loadOpen(sensorId);
    final long at = score.timestampMillis();
    if (open == null) {
      if (!flagged) return null;
      final EpisodeState opened =
          new EpisodeState(at, at, score.likelihood(), score.surprise(), score.explanation(), 1, 0, false, 0);
      save.accept(sensorId, opened.encode());
      return new EpisodeEvent(EpisodeEvent.Kind.OPENED, sensorId, opened);
    }
    final EpisodeState next;
    if (flagged) {
      final boolean peak = score.surprise() > open.peakSurprise();
      next = new EpisodeState(open.startMillis(), at, peak ? score.likelihood() : open.peakLikelihood(),
          peak ? score.surprise() : open.peakSurprise(), peak ? score.explanation() : open.peakExplanation(),
          open.flagged() + 1, open.sinceEvent() + 1, open.peakUnreported() || peak, 0);
    } else {
      next = new EpisodeState(open.startMillis(), open.endMillis(), open.peakLikelihood(), open.peakSurprise(),
          open.peakExplanation(), open.flagged(), open.sinceEvent() + 1, open.peakUnreported(),
          open.normalInARow() + 1);
      if (next.normalInARow() >= settings.closeAfter()) {
        save.accept(sensorId, null);
        return new EpisodeEvent(EpisodeEvent.Kind.CLOSED, sensorId, next);
      }
    }
    if (next.peakUnreported() && next.sinceEvent() >= settings.updateEvery()) {
      final EpisodeState reported = new EpisodeState(next.startMillis(), next.endMillis(), next.peakLikelihood(),
          next.peakSurprise(), next.peakExplanation(), next.flagged(), 0, false, next.normalInARow());
      save.accept(sensorId, reported.encode());
      return new EpisodeEvent(EpisodeEvent.Kind.UPDATED, sensorId, reported);
    }
    save.accept(sensorId, next.encode());
    return null;
  }

  private EpisodeState loadOpen(String sensorId) {
    final byte[] stored = load.apply(sensorId);
    if (stored == null) return null;
    try {
      return EpisodeState.decode(stored);
    } catch (IllegalArgumentException e) {
      // Its scores are unharmed; only this episode is lost, and the next flagged reading opens a new one.
      LOG.warn("Sensor {}: stored episode unreadable ({}), dropped", sensorId, e.getMessage());
      save.accept(sensorId, null);
      return null;
    }
  }
}
