package io.streamlstm.detect.simulation;

/** The faults a simulated sensor can show, each the shape of a real failure. */
public enum AnomalyKind {
  /** One reading far off: a glitch, a bad sample. */
  SPIKE,
  /** The level jumps and stays there for a while: a recalibration, a valve left open. */
  LEVEL_SHIFT,
  /** The same value over and over: a frozen sensor or a dead link repeating the last sample. */
  STUCK,
  /** The noise grows several-fold: a loose connector, interference. */
  NOISE_BURST,
  /** A ramp away from normal, faster than the usual slow drift: a fouled or ageing sensor. */
  DRIFT
}
