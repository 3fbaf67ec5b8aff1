package io.streamlstm.streams;

import io.streamlstm.detect.Score;
import java.util.ArrayList;
import java.util.List;

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
}
