package io.streamlstm.streams;

import io.streamlstm.detect.Score;

/**
 * What the topology reports as it works, for metrics. The app binds it to Micrometer; the topology
 * knows nothing of the registry. Methods are called on stream threads and must be cheap.
 */
public interface ScoringObserver {

  /** A reading was scored (also while warming up) by the model named {@code model}, with all the detector said of it. */
  void scored(String sensorId, String model, Score score, long processingNanos);

  /** A record went to the dead-letter topic; {@code reason} is a short enum-like word. */
  void deadLettered(String reason);

  /** {@code count} departed sensors' states were removed (see {@link StateExpiry}). */
  void statesExpired(int count);

  /** An episode event went to the anomalies topic. */
  void episode(EpisodeEvent event);

  /**
   * A flagged reading raised no alert: {@code by} is the kind of rule that suppressed it ({@code min_departure},
   * {@code direction}, {@code maintenance}) or {@code feedback}.
   */
  void suppressed(String by);

  /**
   * A label on a span of a sensor's readings ({@code normal}, {@code anomaly}) was {@code received}, {@code applied} at
   * a reading, found {@code late} (it arrived after a reading it should have applied to) or {@code dropped}.
   */
  void feedback(String label, String outcome);

  /** A rules file was read and is in effect, with {@code rules} rules. */
  void rulesLoaded(int rules);

  /** A rules file was refused and the rules before it kept. */
  void rulesRefused(String reason);

  /** The model named {@code model} scores with {@code version} now (at start and at every switch). */
  void modelActivated(String model, String version);

  /** A model record for {@code model} was refused and that name's current model kept. */
  void modelRefused(String model, String reason);

  /** A {@code silent} ({@code true}) or {@code resumed} ({@code false}) event went to the anomalies topic. */
  void silence(boolean silent);

  /** Stream task {@code task} holds {@code count} silent sensors now; 0 when it closes (moved or stopped). */
  void silentSensors(String task, long count);

  /**
   * A stream thread died of an exception nothing handled; {@code replaced} when a new thread took over its tasks,
   * false when the client shut down instead (see {@link StreamThreadFailures}).
   */
  void streamThreadFailed(boolean replaced);

  ScoringObserver NONE = new ScoringObserver() {
    @Override public void scored(String s, String model, Score score, long n) {}
    @Override public void deadLettered(String reason) {}
    @Override public void statesExpired(int count) {}
    @Override public void episode(EpisodeEvent event) {}
    @Override public void suppressed(String by) {}
    @Override public void feedback(String label, String outcome) {}
    @Override public void rulesLoaded(int rules) {}
    @Override public void rulesRefused(String reason) {}
    @Override public void modelActivated(String model, String version) {}
    @Override public void modelRefused(String model, String reason) {}
    @Override public void silence(boolean silent) {}
    @Override public void silentSensors(String task, long count) {}
    @Override public void streamThreadFailed(boolean replaced) {}
  };
}
