package io.streamlstm.streams;

import io.streamlstm.detect.Score;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Remembers what the topology reported, for assertions. */
final class RecordingObserver implements ScoringObserver {

  final List<String> scoredSensors = new ArrayList<>();
  /** The model name of each score, as {@code sensor:model}. */
  final List<String> scoredBy = new ArrayList<>();
  final List<String> deadLetterReasons = new ArrayList<>();
  /** Each activation as {@code name:version}. */
  final List<String> activatedModels = new ArrayList<>();
  final List<String> refusedModels = new ArrayList<>();
  final List<EpisodeEvent.Kind> episodes = new ArrayList<>();
  int statesExpired;
  /** Silence events in order: true for silent, false for resumed. */
  final List<Boolean> silenceEvents = new ArrayList<>();
  /** Each task's silent sensors as last reported. */
  final Map<String, Long> silentByTask = new HashMap<>();

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
}
