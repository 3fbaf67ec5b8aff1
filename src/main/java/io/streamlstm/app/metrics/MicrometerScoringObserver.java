package io.streamlstm.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Histogram;
import io.streamlstm.detect.Explanation;
import io.streamlstm.detect.Rejection;
import io.streamlstm.detect.Score;
import io.streamlstm.detect.alerts.Label;
import io.streamlstm.streams.AlertFilter;
import io.streamlstm.streams.DeadLetters;
import io.streamlstm.streams.EpisodeEvent;
import io.streamlstm.streams.ScoringObserver;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The topology's reports as Micrometer meters, named for Prometheus ({@code streamlstm_} prefix, base
 * units, counters ending in {@code _total} once exported). Called on stream threads: every method is
 * a few counter increments and histogram records, with no allocation on the common path.
 *
 * <p>The likelihood and prediction-error histograms are Prometheus client histograms on the same
 * registry, not Micrometer distribution summaries: Micrometer rounds a summary's values up to whole
 * numbers before bucketing, which would put every likelihood (0..1) into the bucket {@code le="1"}.
 */
public final class MicrometerScoringObserver implements ScoringObserver {

  /** At most this many distinct dead-letter reasons get their own series; the rest count as "other". */
  static final int MAX_REASONS = 16;
  static final String OTHER_REASON = "other";

  /**
   * Likelihood buckets: coarse through the body, fine in the tail where thresholds live (0.99 ...).
   */
  private static final double[] LIKELIHOOD_BUCKETS = {
      0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999, 1.0};
  /** Absolute prediction error in the sensor's units: log-spaced, as sensors span many scales. */
  private static final double[] ERROR_BUCKETS = {
      0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000};
  /** One LSTM step is microseconds; a slow reading (state re-warm, GC) is milliseconds. */
  private static final Duration[] PROCESSING_BUCKETS = {
      Duration.ofNanos(10_000), Duration.ofNanos(25_000), Duration.ofNanos(50_000),
      Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
      Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100)};

  private final PrometheusMeterRegistry registry;
  private final Counter scored;
  private final Counter warmingUp;
  /** Flagged readings by the evidence that decided them: a fixed set of series, one per reason. */
  private final Map<Explanation.Reason, Counter> anomalies = new EnumMap<>(Explanation.Reason.class);
  private final Histogram likelihood;
  private final Histogram predictionError;
  private final Timer processing;
  private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
  private final Counter modelSwitches;
  private final Counter modelRefusals;
  private final Counter statesExpired;
  private final Map<EpisodeEvent.Kind, Counter> episodes = new EnumMap<>(EpisodeEvent.Kind.class);
  /** Flagged readings that raised no alert, by what kept them ({@link AlertFilter#SUPPRESSED_BY}). */
  private final Map<String, Counter> suppressed = new HashMap<>();
  /** Labels by label and outcome, keyed "label outcome". */
  private final Map<String, Counter> feedback = new HashMap<>();
  private final AtomicInteger rules = new AtomicInteger();
  private final Counter rulesRefusals;
  private final SensorSeries sensors;
  /** The active model's info gauge; guarded by {@code this} (switches are rare). */
  private Gauge activeModel;

  MicrometerScoringObserver(PrometheusMeterRegistry registry, SensorSeries sensors) {
    this.registry = registry;
    this.sensors = sensors;
    scored = Counter.builder("streamlstm.readings.scored")
        .description("Readings scored, including those of sensors still warming up")
        .register(registry);
    warmingUp = Counter.builder("streamlstm.readings.warming.up")
        .description("Readings scored while their sensor was warming up (never flagged)")
        .register(registry);
    for (Explanation.Reason reason : Explanation.Reason.values()) {
      anomalies.put(reason, Counter.builder("streamlstm.anomalies").tag("reason", reason.name().toLowerCase(Locale.ROOT))
          .description("Readings flagged as anomalies, by the evidence that decided them").register(registry));
    }
    likelihood = Histogram.builder().name("streamlstm_anomaly_likelihood")
        .help("Anomaly likelihood of each scored reading")
        .classicOnly().classicUpperBounds(LIKELIHOOD_BUCKETS).withoutExemplars()
        .register(registry.getPrometheusRegistry());
    predictionError = Histogram.builder().name("streamlstm_prediction_error")
        .help("Absolute prediction error of each channel, in the sensor's units")
        .classicOnly().classicUpperBounds(ERROR_BUCKETS).withoutExemplars()
        .register(registry.getPrometheusRegistry());
    processing = Timer.builder("streamlstm.reading.processing")
        .description("Time to score one reading (state load, LSTM step, likelihood, state save)")
        .serviceLevelObjectives(PROCESSING_BUCKETS).register(registry);
    modelSwitches = Counter.builder("streamlstm.model.switches")
        .description("Times the active model version changed while running").register(registry);
    modelRefusals = Counter.builder("streamlstm.model.refusals")
        .description("Model records refused (the current model was kept)").register(registry);
    // Known reasons exist from the start, so rate() and alerts see 0 rather than no data.
    for (Rejection.Reason reason : Rejection.Reason.values()) {
      deadLetterCounter(reason.name());
    }
    deadLetterCounter(DeadLetters.STATE_UNREADABLE);
    deadLetterCounter(DeadLetters.SCORING_FAILED);
    deadLetterCounter(DeadLetters.FUTURE_TIMESTAMP);
    deadLetterCounter(DeadLetters.MALFORMED_FEEDBACK);
    statesExpired = Counter.builder("streamlstm.states.expired")
        .description("Departed sensors' states removed (silent for longer than streamlstm.state.ttl)")
        .register(registry);
    // streamlstm_episodes_opened_total and so on: incidents, where streamlstm_anomalies_total counts readings.
    for (EpisodeEvent.Kind kind : EpisodeEvent.Kind.values()) {
      episodes.put(kind, Counter.builder("streamlstm.episodes." + kind.wireName())
          .description("Episode events written to the anomalies topic: " + kind.wireName()).register(registry));
    }
    for (String by : AlertFilter.SUPPRESSED_BY) {
      suppressed.put(by, Counter.builder("streamlstm.alerts.suppressed").tag("by", by)
          .description("Flagged readings kept from alerting by a rule or by feedback (still scored, marked, no episode)")
          .register(registry));
    }
    for (Label label : Label.values()) {
      for (String outcome : AlertFilter.FEEDBACK_OUTCOMES) {
        feedback.put(label.wireName() + " " + outcome, Counter.builder("streamlstm.feedback.labels")
            .tag("label", label.wireName()).tag("outcome", outcome)
            .description("Labels from the feedback topic: received, applied at a reading, late, dropped")
            .register(registry));
      }
    }
    Gauge.builder("streamlstm.rules.active", rules, AtomicInteger::get)
        .description("Rules in effect from the rules file").register(registry);
    rulesRefusals = Counter.builder("streamlstm.rules.refusals")
        .description("Rules files refused (the rules before them kept)").register(registry);
  }

  @Override
  public void scored(String sensorId, Score score, long processingNanos) {
    record(score.likelihood(), score.error(), score.anomaly() ? score.explanation().reason() : null, score.warmingUp(),
        processingNanos);
    sensors.record(sensorId, score.likelihood(), score.anomaly(), score);
  }

  /** {@code anomalyReason} is null for a reading not flagged. */
  private void record(double likelihood, double[] error, Explanation.Reason anomalyReason, boolean warmingUp,
      long processingNanos) {
    scored.increment();
    if (warmingUp) {
      this.warmingUp.increment();
    }
    if (anomalyReason != null) {
      anomalies.get(anomalyReason).increment();
    }
    if (Double.isFinite(likelihood)) {
      this.likelihood.observe(likelihood);
    }
    for (double e : error) {
      if (Double.isFinite(e)) {
        predictionError.observe(Math.abs(e));
      }
    }
    processing.record(processingNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void statesExpired(int count) {
    statesExpired.increment(count);
  }

  @Override
  public void episode(EpisodeEvent event) {
    episodes.get(event.kind()).increment();
    if (event.kind() == EpisodeEvent.Kind.OPENED) sensors.episodeOpened(event.sensorId());
  }

  @Override
  public void deadLettered(String reason) {
    deadLetterCounter(reason).increment();
  }

  private Counter deadLetterCounter(String reason) {
    String tag = reason == null ? OTHER_REASON : reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    Counter counter = deadLetters.get(tag);
    if (counter != null) {
      return counter;
    }
    // Reasons come from code, but a bug passing free text must not explode the series count.
    String bounded = deadLetters.size() < MAX_REASONS ? tag : OTHER_REASON;
    return deadLetters.computeIfAbsent(bounded, r -> Counter.builder("streamlstm.dead.letters")
        .tag("reason", r).description("Records sent to the dead-letter topic, by reason")
        .register(registry));
  }

  @Override
  public void suppressed(String by) {
    final Counter counter = suppressed.get(by);
    if (counter != null) counter.increment();
  }

  @Override
  public void feedback(String label, String outcome) {
    final Counter counter = feedback.get(label + " " + outcome);
    if (counter != null) counter.increment();
  }

  @Override
  public void rulesLoaded(int count) {
    rules.set(count);
  }

  @Override
  public void rulesRefused(String reason) {
    rulesRefusals.increment();
  }

  @Override
  public synchronized void modelActivated(String version) {
    if (activeModel != null) {
      if (activeModel.getId().getTag("version").equals(version)) {
        return; // every stream thread reports the same activation
      }
      registry.remove(activeModel);
      modelSwitches.increment();
    }
    activeModel = Gauge.builder("streamlstm.model.active", () -> 1)
        .tag("version", version)
        .description("The model version in use (info-style: always 1, the version is the label)")
        .register(registry);
  }

  @Override
  public void modelRefused(String reason) {
    modelRefusals.increment();
  }
}
