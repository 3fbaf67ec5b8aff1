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
  /**
   * The meters labelled by model name, one set per name the service follows: the configuration bounds the series.
   * Created when a name is first activated, at start, so every series exists before its first reading.
   */
  private final Map<String, ModelMeters> models = new ConcurrentHashMap<>();
  private final Histogram likelihood;
  private final Histogram predictionError;
  private final Timer processing;
  private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
  private final Counter statesExpired;
  private final Map<EpisodeEvent.Kind, Counter> episodes = new EnumMap<>(EpisodeEvent.Kind.class);
  private final Counter wentSilent;
  private final Counter resumed;
  /** Each stream task's silent sensors, as it last reported them; a task that closes leaves the map. */
  private final Map<String, Long> silentByTask = new ConcurrentHashMap<>();
  /** Flagged readings that raised no alert, by what kept them ({@link AlertFilter#SUPPRESSED_BY}). */
  private final Map<String, Counter> suppressed = new HashMap<>();
  /** Labels by label and outcome, keyed "label outcome". */
  private final Map<String, Counter> feedback = new HashMap<>();
  private final AtomicInteger rules = new AtomicInteger();
  private final Counter rulesRefusals;
  private final Counter threadsReplaced;
  private final Counter clientShutDowns;
  private final SensorSeries sensors;

  /** One model name's meters. */
  private static final class ModelMeters {
    final Counter scored;
    final Counter warmingUp;
    /** Flagged readings by the evidence that decided them: a fixed set of series, one per reason. */
    final Map<Explanation.Reason, Counter> anomalies = new EnumMap<>(Explanation.Reason.class);
    final Counter switches;
    final Counter refusals;
    /** The info gauge of the version in use; guarded by the observer (switches are rare). */
    Gauge active;

    ModelMeters(PrometheusMeterRegistry registry, String model) {
      scored = Counter.builder("streamlstm.readings.scored").tag("model", model)
          .description("Readings scored, including those of sensors still warming up, by the model that scored them")
          .register(registry);
      warmingUp = Counter.builder("streamlstm.readings.warming.up").tag("model", model)
          .description("Readings scored while their sensor was warming up (never flagged)")
          .register(registry);
      for (Explanation.Reason reason : Explanation.Reason.values()) {
        anomalies.put(reason, Counter.builder("streamlstm.anomalies")
            .tag("reason", reason.name().toLowerCase(Locale.ROOT)).tag("model", model)
            .description("Readings flagged as anomalies, by the evidence that decided them").register(registry));
      }
      switches = Counter.builder("streamlstm.model.switches").tag("model", model)
          .description("Times the model version in use for this model name changed while running").register(registry);
      refusals = Counter.builder("streamlstm.model.refusals").tag("model", model)
          .description("Model records refused for this model name (its current model was kept)").register(registry);
    }
  }

  MicrometerScoringObserver(PrometheusMeterRegistry registry, SensorSeries sensors) {
    this.registry = registry;
    this.sensors = sensors;
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
    wentSilent = Counter.builder("streamlstm.silence.silent")
        .description("Silent events written to the anomalies topic: a sensor that reported regularly went quiet")
        .register(registry);
    resumed = Counter.builder("streamlstm.silence.resumed")
        .description("Resumed events written to the anomalies topic: a silent sensor reported again")
        .register(registry);
    Gauge.builder("streamlstm.sensors.silent", silentByTask, tasks -> tasks.values().stream().mapToLong(n -> n).sum())
        .description("Sensors of this instance's tasks that are silent now (told silent, not resumed)")
        .register(registry);
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
    threadsReplaced = threadFailures("replaced");
    clientShutDowns = threadFailures("shutdown");
  }

  @Override
  public void scored(String sensorId, String model, Score score, long processingNanos) {
    record(meters(model), score.likelihood(), score.error(), score.anomaly() ? score.explanation().reason() : null,
        score.warmingUp(), processingNanos);
    sensors.record(sensorId, score.likelihood(), score.anomaly(), score);
  }

  /** The model's meters; a get on a map as small as the model names, whose hash each name string keeps. */
  private ModelMeters meters(String model) {
    final ModelMeters meters = models.get(model);
    return meters != null ? meters : models.computeIfAbsent(model, name -> new ModelMeters(registry, name));
  }

  /** {@code anomalyReason} is null for a reading not flagged. */
  private void record(ModelMeters model, double likelihood, double[] error, Explanation.Reason anomalyReason,
      boolean warmingUp, long processingNanos) {
    model.scored.increment();
    if (warmingUp) {
      model.warmingUp.increment();
    }
    if (anomalyReason != null) {
      model.anomalies.get(anomalyReason).increment();
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
  public synchronized void modelActivated(String model, String version) {
    final ModelMeters meters = meters(model);
    if (meters.active != null) {
      if (meters.active.getId().getTag("version").equals(version)) {
        return; // a second topology on this observer reporting the same start
      }
      registry.remove(meters.active);
      meters.switches.increment();
    }
    meters.active = Gauge.builder("streamlstm.model.active", () -> 1)
        .tag("model", model)
        .tag("version", version)
        .description("The model version in use for each model name (info-style: always 1, the labels say it)")
        .register(registry);
  }

  @Override
  public void modelRefused(String model, String reason) {
    meters(model).refusals.increment();
  }

  @Override
  public void silence(boolean silent) {
    (silent ? wentSilent : resumed).increment();
  }

  @Override
  public void silentSensors(String task, long count) {
    if (count == 0) {
      silentByTask.remove(task);
    } else {
      silentByTask.put(task, count);
    }
  }

  @Override
  public void streamThreadFailed(boolean replaced) {
    (replaced ? threadsReplaced : clientShutDowns).increment();
  }

  private Counter threadFailures(String action) {
    return Counter.builder("streamlstm.stream.thread.failures").tag("action", action)
        .description("Stream threads that died of an unhandled exception: replaced, or the client shut down")
        .register(registry);
  }
}
