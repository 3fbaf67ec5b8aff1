package io.streamlstm.streams;

import io.streamlstm.detect.Score;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers what the topology reported, for assertions. The lists take reports from several threads (stream
 * threads, the rules file's watcher) and are read after them.
 */
public final class RecordingObserver implements ScoringObserver {

  final List<String> scoredSensors = list();
  /** The model name of each score, as {@code sensor:model}. */
  final List<String> scoredBy = list();
  final List<String> deadLetterReasons = list();
  /** Each activation as {@code name:version}. */
  final List<String> activatedModels = list();
  final List<String> refusedModels = list();
  final List<EpisodeEvent.Kind> episodes = list();
  final List<String> suppressed = list();
  /** "label outcome", e.g. "normal applied". */
  public final List<String> feedback = list();
  /** "loaded N" or "refused why". */
  public final List<String> rules = list();
  int statesExpired;
  /** Silence events in order: true for silent, false for resumed. */
  final List<Boolean> silenceEvents = list();
  /** Each task's silent sensors as last reported. */
  final Map<String, Long> silentByTask = new HashMap<>();
  /** Stream thread failures in order: true for replaced, false for shut down. */
  final List<Boolean> threadFailures = list();

  private static <T> List<T> list() {
    return Collections.synchronizedList(new ArrayList<>());
  }

  @Override
  public void scored(String sensorId, String model, Score score, long processingNanos) {
    scoredSensors.add(sensorId);
    scoredBy.add(sensorId + ":" + model);
  }

  @Override
  public void statesExpired(int count) {
    statesExpired += count;
  }

  @Override
  public void episode(EpisodeEvent event) {
    episodes.add(event.kind());
  }

  @Override
  public void deadLettered(String reason) {
    deadLetterReasons.add(reason);
  }

  @Override
  public void suppressed(String by) {
    suppressed.add(by);
  }

  @Override
  public void feedback(String label, String outcome) {
    feedback.add(label + " " + outcome);
  }

  @Override
  public void rulesLoaded(int count) {
    rules.add("loaded " + count);
  }

  @Override
  public void rulesRefused(String reason) {
    rules.add("refused " + reason);
  }

  @Override
  public void modelActivated(String model, String version) {
    activatedModels.add(model + ":" + version);
  }

  @Override
  public void modelRefused(String model, String reason) {
    refusedModels.add(model + ":" + reason);
  }

  @Override
  public void silence(boolean silent) {
    silenceEvents.add(silent);
  }

  @Override
  public void silentSensors(String task, long count) {
    silentByTask.put(task, count);
  }

  @Override
  public void streamThreadFailed(boolean replaced) {
    threadFailures.add(replaced);
  }
}
