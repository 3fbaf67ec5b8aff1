package io.streamlstm.detect;

import java.util.Arrays;
import java.util.Random;

/**
 * The network's memory somewhere this sensor's memory has not been. The LSTM's cell state C carries what the
 * recent readings were like over longer lags than any one error shows; a sensor's C moves among a few familiar
 * places (the phases of its cycle, its usual regimes). A stretch of readings unlike the sensor's usual takes C
 * elsewhere, even where each reading alone is forecast well. A predictor without a memory (persistence)
 * abstains.
 *
 * <p>The memory (C of the top layer; h for a plain RNN, its only memory) is sketched in {@link #DIMENSIONS}
 * sums, so the state kept does not grow with the network: each unit adds into one sum with a sign, both drawn once
 * from a fixed seed (a count sketch, as feature hashing does), which keeps squared distances on average at one
 * addition a unit. The sensor keeps {@link #PROTOTYPES} places its memory visits, each a centre and the mean
 * squared distance of the memories it took in, learned online (each memory moves its nearest centre, weight
 * max(1/count, α) with the history's half-life):
 * <pre>
 *   y_i = Σ_{j: bucket(j) = i} sign(j) · memory_j
 *   k = argmin_j |y − centre_j|²,  d = |y − centre_k|²
 *   s = ln(1 + √(d / (spread_k + mean_j spread_j)))
 * </pre>
 * The place's own spread measures how far its visits range; the mean over places keeps a place that has seen
 * little spread from calling every small move new. The places start as the sensor's memories at
 * {@link #SPACING}-reading steps after it {@link #SETTLE}s, so they cover its early behaviour; then, for a
 * warm-up, its surprises are counted but may not flag, as a new sensor's are.
 *
 * <p>State: the memories seen (capped), then per place its centre, spread and count. A model of another version
 * moves the memory to another space: {@link #forget} starts the slice over.
 */
final class Memory implements Evidence {

  static final int PROTOTYPES = 8;
  static final int DIMENSIONS = 8;
  /** Readings the memory needs to move away from its zero start before its places are taken. */
  static final int SETTLE = 50;
  /** Readings between the memories that become the first places. */
  static final int SPACING = 25;
  private static final int SEEN = 0;
  private static final int PLACES = 1;
  private static final int PER_PLACE = DIMENSIONS + 2;
  private static final int SPREAD = DIMENSIONS;
  private static final int COUNT = DIMENSIONS + 1;
  static final int SIZE = PLACES + PROTOTYPES * PER_PLACE;
  /** Squared distance below which the memory is taken not to have moved: tiny against its units, about 1. */
  private static final double MIN_SPREAD = 1e-6;
  private static final long PROJECTION_SEED = 7;

  private final int memorySize;
  // The sketch: the sum each memory unit adds into, and its sign.
  private final int[] bucket;
  private final double[] sign;
  private final double alpha;
  private final int warmUpReadings;
  private final double[] y = new double[DIMENSIONS]; // scratch: the projected memory

  /**
   * @param memorySize floats of the predictor's memory (0: none; the evidence abstains)
   * @param historyHalfLife of the places' centres and spreads, in readings
   * @param warmUpReadings readings after the places are taken during which surprises count but may not flag
   */
  Memory(int memorySize, double historyHalfLife, int warmUpReadings) {
    this.memorySize = memorySize;
    this.bucket = new int[memorySize];
    this.sign = new double[memorySize];
    Random random = new Random(PROJECTION_SEED);
    for (int j = 0; j < memorySize; j++) {
      bucket[j] = random.nextInt(DIMENSIONS);
      sign[j] = random.nextBoolean() ? 1 : -1;
    }
    this.alpha = AnomalyLikelihood.alpha(historyHalfLife);
    this.warmUpReadings = warmUpReadings;
  }

  @Override
  public Explanation.Reason reason() {
    return Explanation.Reason.MEMORY;
  }

  @Override
  public int size() {
    return SIZE;
  }

  @Override
  public double surprise(Observation now, float[] stats, int at, Finding found) {
    if (now.memory == null || memorySize == 0) return Double.NaN;
    float seen = AnomalyLikelihood.counted(stats[at + SEEN]);
    stats[at + SEEN] = seen;
    long placed = (long) seen - SETTLE;
    if (placed < 0) return Double.NaN;
    project(now.memory, now.memoryAt);
    if (placed < (long) PROTOTYPES * SPACING) {
      if (placed % SPACING == 0) place(stats, at + PLACES + (int) (placed / SPACING) * PER_PLACE);
      return Double.NaN;
    }
    int nearest = 0;
    double distance = Double.MAX_VALUE;
    double meanSpread = 0;
    for (int k = 0; k < PROTOTYPES; k++) {
      int p = at + PLACES + k * PER_PLACE;
      double d = squaredDistance(stats, p);
      if (d < distance) {
        distance = d;
        nearest = k;
      }
      meanSpread += stats[p + SPREAD];
    }
    meanSpread /= PROTOTYPES;
    int p = at + PLACES + nearest * PER_PLACE;
    double deviation = Math.sqrt(distance / (stats[p + SPREAD] + meanSpread + MIN_SPREAD));
    learn(stats, p, distance);
    found.forecast(deviation);
    found.mayDecide = placed >= (long) PROTOTYPES * SPACING + warmUpReadings;
    return Math.log1p(deviation);
  }

  /** Starts channel slice {@code stats[at..]} over: the places are taken anew from the memories to come. */
  static void forget(float[] stats, int at) {
    Arrays.fill(stats, at, at + SIZE, 0f);
  }

  /** y, the memory's sketch, each sum within a float's range: a centre between it and another stays finite. */
  private void project(float[] memory, int from) {
    Arrays.fill(y, 0);
    for (int j = 0; j < memorySize; j++) y[bucket[j]] += sign[j] * memory[from + j];
    for (int i = 0; i < DIMENSIONS; i++) y[i] = SensorState.narrow(y[i]);
  }

  private void place(float[] stats, int p) {
    for (int i = 0; i < DIMENSIONS; i++) stats[p + i] = (float) y[i];
    stats[p + SPREAD] = 0;
    stats[p + COUNT] = 1;
  }

  private double squaredDistance(float[] stats, int p) {
    double d = 0;
    for (int i = 0; i < DIMENSIONS; i++) {
      double delta = y[i] - stats[p + i];
      d += delta * delta;
    }
    return d;
  }

  /** The nearest place takes the memory in: its centre moves toward it, its spread toward the distance. */
  private void learn(float[] stats, int p, double distance) {
    float count = AnomalyLikelihood.counted(stats[p + COUNT]);
    double weight = Math.max(1.0 / count, alpha);
    // Between two finite floats, so finite.
    for (int i = 0; i < DIMENSIONS; i++) stats[p + i] = (float) (stats[p + i] + weight * (y[i] - stats[p + i]));
    stats[p + SPREAD] = SensorState.narrow(stats[p + SPREAD] + weight * (distance - stats[p + SPREAD]));
    stats[p + COUNT] = count;
  }
}
