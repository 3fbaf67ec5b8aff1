package io.streamlstm.detect;

import io.streamlstm.lstm.Model;

/**
 * One sensor's state and one reading in, a score out. CONTRACT ONLY: implemented on branch detect.
 * Not thread-safe (holds the step kernel's scratch): one instance per stream thread.
 */
public final class Detector {

  public Detector(Model model, DetectorConfig config) {
    throw new UnsupportedOperationException("implemented on branch detect");
  }

  /** The version of the model in use, as in {@link Score#modelVersion()}. */
  public String modelVersion() {
    throw new UnsupportedOperationException("implemented on branch detect");
  }

  /** A state for a sensor never seen before. */
  public SensorState newState() {
    throw new UnsupportedOperationException("implemented on branch detect");
  }

  /**
   * Scores {@code reading} and, when it is accepted, updates {@code state} in place. A refused reading
   * leaves the state untouched. A state computed under another model version is re-warmed for this
   * detector's model from the recent readings it keeps, before the reading is scored.
   */
  public Outcome process(SensorState state, Reading reading) {
    throw new UnsupportedOperationException("implemented on branch detect");
  }
}
