package io.streamlstm.detect.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One simulated sensor: a daily cycle with a harmonic, slow drift and correlated noise, plus faults
 * injected now and then. Its character (level, amplitude, noise, drift) is drawn once from its own
 * random stream, so a sensor behaves the same whatever the others do.
 *
 * <pre>
 *   x_t = level + A sin(2π d_t + φ) + 0.3 A sin(4π d_t + φ2) + drift t + e_t + fault_t
 *   e_t = ρ e_{t-1} + σ sqrt(1 - ρ²) n_t,   n_t ~ N(0, 1)      (so e has standard deviation σ)
 * </pre>
 * d_t is the fraction of the day at the reading's time. Fault sizes are in units of the sensor's normal
 * spread {@code sqrt(σ² + A²/2)} (noise and daily swing together), so a fault is as visible on a calm
 * sensor as on a swinging one.
 */
final class SensorSignal {

  static final long DAY_MILLIS = 86_400_000L;
  /** Noise correlation between neighbouring readings, as a real sensor's low-pass filter gives. */
  private static final double RHO = 0.7;
  /** Readings before the first fault can come: detectors need a normal stretch to learn the sensor. */
  static final int QUIET_START = 300;
  /**
   * Readings between the end of one fault and the start of the next: uniform in [MIN_GAP, MAX_GAP), one to three
   * days at a reading a minute; the first fault comes within MIN_GAP of {@link #QUIET_START}. A fault per about
   * 2,900 readings, nearer the labelled anomalies of the development corpora (one per 4,600 readings on NAB, 6,800 on
   * the telemetry). With faults every 300 to 900 readings, a fault's size was an everyday event for the sensor by its
   * second or third, and a detector that judges a sensor by its own past rightly stopped calling it rare.
   */
  static final int MIN_GAP = 1440;
  static final int MAX_GAP = 4320;

  private final String id;
  private final SplittableRandom random;
  private final long stepMillis;
  private final double level;
  private final double amplitude;
  private final double phase;
  private final double harmonicPhase;
  private final double sigma;
  private final double driftPerReading;

  /** Standard deviation of the normal signal: noise and daily cycle. */
  private final double spread;
  private double noise;
  private long t;
  private double lastValue;

  private AnomalyKind fault;
  private long faultStart;
  private long faultEnd;
  private double faultSize;
  private long nextFaultAt;
  private final List<Anomaly> truth = new ArrayList<>();

  SensorSignal(String id, SplittableRandom random, long stepMillis) {
    this.id = id;
    this.random = random;
    this.stepMillis = stepMillis;
    this.level = random.nextDouble(10, 100);
    this.amplitude = level * random.nextDouble(0.05, 0.2);
    this.phase = random.nextDouble(0, 2 * Math.PI);
    this.harmonicPhase = random.nextDouble(0, 2 * Math.PI);
    this.sigma = level * random.nextDouble(0.005, 0.02);
    this.driftPerReading = sigma * random.nextDouble(-0.002, 0.002);
    this.spread = Math.sqrt(sigma * sigma + amplitude * amplitude / 2);
    this.noise = sigma * random.nextGaussian();
    this.nextFaultAt = QUIET_START + random.nextInt(MIN_GAP);
  }

  String id() {
    return id;
  }

  /** The next reading, taken at {@code timestampMillis} (readings come every {@code stepMillis}). */
  SimulatedReading next(long timestampMillis) {
    if (fault == null && t == nextFaultAt) startFault(timestampMillis);

    double day = 2 * Math.PI * Math.floorMod(timestampMillis, DAY_MILLIS) / DAY_MILLIS;
    double normal = level + amplitude * Math.sin(day + phase) + 0.3 * amplitude * Math.sin(2 * day + harmonicPhase)
        + driftPerReading * t;
    noise = RHO * noise + sigma * Math.sqrt(1 - RHO * RHO) * random.nextGaussian();
    double value = fault == null ? normal + noise : switch (fault) {
      case SPIKE, LEVEL_SHIFT -> normal + noise + faultSize * spread;
      case STUCK -> lastValue;
      case NOISE_BURST -> normal + noise * faultSize;
      case DRIFT -> normal + noise + faultSize * spread * (t - faultStart + 1) / (faultEnd - faultStart + 1);
    };
    boolean anomalous = fault != null;
    if (fault != null && t == faultEnd) {
      fault = null;
      nextFaultAt = t + MIN_GAP + random.nextInt(MAX_GAP - MIN_GAP);
    }
    lastValue = value;
    t++;
    return new SimulatedReading(id, timestampMillis, value, anomalous);
  }

  /** Faults started so far; the last may reach past the last reading taken. */
  List<Anomaly> truth() {
    return truth;
  }

  private void startFault(long timestampMillis) {
    AnomalyKind[] kinds = AnomalyKind.values();
    fault = kinds[random.nextInt(kinds.length)];
    double sign = random.nextBoolean() ? 1 : -1;
    int duration = switch (fault) {
      case SPIKE -> 1;
      case LEVEL_SHIFT, STUCK -> random.nextInt(30, 120);
      case NOISE_BURST -> random.nextInt(20, 60);
      case DRIFT -> random.nextInt(100, 300);
    };
    faultSize = switch (fault) {
      case SPIKE -> sign * random.nextDouble(4, 6);
      case LEVEL_SHIFT -> sign * random.nextDouble(2, 4);
      case STUCK -> 0;
      case NOISE_BURST -> spread / sigma * random.nextDouble(1, 2);
      case DRIFT -> sign * random.nextDouble(3, 5);
    };
    faultStart = t;
    faultEnd = t + duration - 1;
    truth.add(new Anomaly(id, timestampMillis, timestampMillis + (duration - 1) * stepMillis, fault));
  }
}
