package io.streamlstm.streams;

import io.streamlstm.detect.Score;
import java.util.ArrayList;
import java.util.List;

/** Remembers what the topology reported, for assertions. */
final class RecordingObserver implements ScoringObserver {

  final List<String> scoredSensors = new ArrayList<>();
  final List<String> deadLetterReasons = new ArrayList<>();
  final List<String> activatedModels = new ArrayList<>();
  final List<String> refusedModels = new ArrayList<>();
  final List<EpisodeEvent.Kind> episodes = new ArrayList<>();
  final List<String> suppressed = new ArrayList<>();
  /** "label outcome", e.g. "normal applied". */
  final List<String> feedback = new ArrayList<>();
  int statesExpired;

  @Override
  public void scored(String sensorId, Score score, long processingNanos) {
    scoredSensors.add(sensorId);
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
  public void rulesLoaded(int rules) {}

  @Override
  public void rulesRefused(String reason) {}

  @Override
  public void modelActivated(String version) {
    activatedModels.add(version);
  }

  @Override
  public void modelRefused(String reason) {
    refusedModels.add(reason);
  }
}
