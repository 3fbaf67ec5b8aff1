package io.streamlstm.detect;

/**
 * One kind of evidence that a reading is unusual for its sensor. For each reading an evidence measures how far
 * off the reading is in its own terms — an error in σ of the forecast, a distance from the sensor's history, from
 * its routine at this time of day — and gives it as a surprise {@code ln(1 + s)} of that size {@code s ≥ 0}.
 * {@link AnomalyLikelihood} ranks each surprise against the sensor's own history of the same surprise, so an
 * evidence need not be calibrated: only ordered.
 *
 * <p>Each evidence keeps its own slice of a channel's statistics, {@link #size()} floats at {@code stats[at..]},
 * narrowed to float at every update so that a state through its binary form scores bit for bit as one kept in
 * memory. Adding, removing or swapping one is a change of {@link AnomalyLikelihood}'s list and of the state's
 * format. Implementations hold settings only, never a sensor's data: one instance serves every sensor.
 */
interface Evidence {

  /** What a score decided by this evidence names as its reason. */
  Explanation.Reason reason();

  /** Floats of per-channel state this evidence keeps. */
  int size();

  /**
   * The surprise of {@code now}, judged against this evidence's state before it, or NaN when the evidence has no
   * judgement yet (it abstains: the reading is neither ranked nor counted into its history); then folds the reading
   * into the state at {@code stats[at..at + size())}. Writes what the reading was judged against into {@code found}.
   */
  double surprise(Observation now, float[] stats, int at, Finding found);

  /**
   * Whether this evidence may outrank the others on a reading the forecast expected (within its band). One that may
   * not is weak evidence alone: there its tail is floored just under the alarm level, so it alarms but never ranks a
   * reading above a clear error or departure; beside the forecast's own error it counts in full.
   */
  default boolean outranksWithinForecastBand() {
    return true;
  }
}
