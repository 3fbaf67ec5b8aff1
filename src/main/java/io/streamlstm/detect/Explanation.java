package io.streamlstm.detect;

/**
 * Why a reading scored as it did: the evidence whose surprise was the rarest for this sensor, how far off the
 * reading was in that evidence's own spreads, and the reference it was judged against, in the sensor's units
 * ({@code expected} ± the band's k spreads). For a one-step error the reference is the network's band; for the
 * level, the sensor's history; for the routine, its usual value at this time of day.
 *
 * @param reason the deciding evidence; {@link Reason#NONE} while warming up and when no evidence is unusual
 * @param channel the channel it was found on
 * @param deviation signed, in the evidence's spreads: σ of the prediction for the errors, spreads of the
 *     history for the level, of the hour's readings for the routine (0 for {@code NONE})
 */
public record Explanation(Reason reason, String channel, double deviation, double expected, double lower,
    double upper) {

  /** The evidences, in the order {@link AnomalyLikelihood} judges them. */
  public enum Reason {
    /** One reading far from the prediction. */
    SUDDEN_ERROR,
    /**
     * A run of moderate errors: an evidence of earlier builds, which {@link #MEMORY} replaced. Kept so that
     * episodes and feedback they stored still read.
     */
    ERROR_RUN,
    /** The value far from where the sensor has been, over the last few readings. */
    LEVEL,
    /** The value far from the sensor's usual value at this time of day. */
    ROUTINE,
    /** A moderate departure from the sensor's history that lasts longer than its usual excursions. */
    LASTING_DEPARTURE,
    /** The network's memory far from every place this sensor's memory visits: a stretch unlike its usual. */
    MEMORY,
    /** The same value, exactly, repeated for longer than the sensor has lately repeated one. */
    STUCK,
    /** Nothing unusual, or the sensor is warming up. */
    NONE;

    /** What a deviation decided by this reason counts: a stuck run's repeats, else spreads of its reference. */
    public String deviationUnit() {
      return this == STUCK ? "repeats" : "spreads";
    }
  }

  /** Tail probability above which no evidence counts as unusual: more common than one reading in two. */
  static final double UNUSUAL_TAIL = 0.5;
}
