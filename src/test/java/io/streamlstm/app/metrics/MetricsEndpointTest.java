package io.streamlstm.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.app.HttpEndpoint;
import io.streamlstm.detect.Explanation;
import io.streamlstm.detect.Reading;
import io.streamlstm.detect.Score;
import io.streamlstm.streams.EpisodeEvent;
import io.streamlstm.streams.EpisodeState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives the observer and reads the numbers back the way Prometheus does: GET /metrics over HTTP. */
class MetricsEndpointTest {

  private Metrics metrics;
  private HttpEndpoint endpoint;

  @BeforeEach
  void start() {
    metrics = new Metrics(new MetricsConfig(Set.of("pump-1"), 2, Duration.ofMinutes(10), Duration.ZERO,
        Duration.ofSeconds(1)));
    endpoint = HttpEndpoint.start("127.0.0.1", 0);
    endpoint.route("/metrics", metrics.route());
  }

  @AfterEach
  void stop() {
    endpoint.close();
    metrics.close();
  }

  private HttpResponse<String> get() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private Scrape scrape() throws Exception {
    HttpResponse<String> response = get();
    assertEquals(200, response.statusCode());
    return Scrape.parse(response.body());
  }

  private static Score score(double value, double expected, double likelihood, boolean anomaly) {
    return score(value, expected, likelihood, anomaly, false);
  }

  private static Score score(double value, double expected, double likelihood, boolean anomaly, boolean warmingUp) {
    return new Score(0L, new String[] {"value"}, new double[] {value}, new double[] {expected},
        new double[] {expected - 1}, new double[] {expected + 1}, new double[] {value - expected},
        new double[] {1.0}, likelihood, -Math.log10(1 - likelihood), anomaly, warmingUp, "m1",
        new Explanation(Explanation.Reason.SUDDEN_ERROR, "value", value - expected, expected, expected - 1, expected + 1));
  }

  @Test
  void servesPrometheusTextFormat() throws Exception {
    metrics.observer().modelActivated("default", "v1"); // as the topology does for every model name when built
    HttpResponse<String> response = get();
    assertEquals(200, response.statusCode());
    String type = response.headers().firstValue("Content-Type").orElseThrow();
    assertTrue(type.startsWith("text/plain; version=0.0.4"), type);
    Scrape s = Scrape.parse(response.body());
    // JVM and process meters are bound from the start.
    assertTrue(s.sum("jvm_memory_used_bytes", "area", "heap") > 0);
    assertTrue(s.has("jvm_gc_pause_seconds_count") || s.has("jvm_gc_memory_allocated_bytes_total"));
    assertTrue(s.value("jvm_threads_live_threads") > 0);
    assertTrue(s.value("process_uptime_seconds") >= 0);
    assertTrue(s.has("process_cpu_usage"));
    // Known dead-letter reasons, and each model's counters, exist before anything happened.
    assertEquals(0.0, s.value("streamlstm_dead_letters_total", "reason", "not_finite"));
    assertEquals(0.0, s.value("streamlstm_dead_letters_total", "reason", "future_timestamp"));
    assertEquals(0.0, s.value("streamlstm_model_refusals_total"));
    assertEquals(0.0, s.value("streamlstm_states_expired_total"));
    assertEquals(0.0, s.value("streamlstm_readings_scored_total"));
    assertEquals(0.0, s.value("streamlstm_episodes_opened_total"));
    assertEquals(0.0, s.value("streamlstm_episodes_closed_total"));
    assertEquals(0.0, s.value("streamlstm_alerts_suppressed_total", "by", "feedback"));
    assertEquals(0.0, s.value("streamlstm_feedback_labels_total", "label", "normal", "outcome", "applied"));
    assertEquals(0.0, s.value("streamlstm_rules_active"));
    assertEquals(0.0, s.value("streamlstm_rules_refusals_total"));
    assertEquals(0.0, s.value("streamlstm_dead_letters_total", "reason", "malformed_feedback"));
  }

  @Test
  void countsSuppressedAlertsLabelsAndRules() throws Exception {
    MicrometerScoringObserver observer = metrics.observer();
    observer.suppressed("min_departure");
    observer.suppressed("maintenance");
    observer.suppressed("maintenance");
    observer.suppressed("feedback");
    observer.feedback("normal", "received");
    observer.feedback("normal", "applied");
    observer.feedback("anomaly", "late");
    observer.rulesLoaded(7);
    observer.rulesRefused("line 3: unknown rule 'mute'");
    observer.rulesLoaded(4);

    Scrape s = scrape();
    assertEquals(1.0, s.value("streamlstm_alerts_suppressed_total", "by", "min_departure"));
    assertEquals(0.0, s.value("streamlstm_alerts_suppressed_total", "by", "direction"));
    assertEquals(2.0, s.value("streamlstm_alerts_suppressed_total", "by", "maintenance"));
    assertEquals(1.0, s.value("streamlstm_alerts_suppressed_total", "by", "feedback"));
    assertEquals(1.0, s.value("streamlstm_feedback_labels_total", "label", "normal", "outcome", "received"));
    assertEquals(1.0, s.value("streamlstm_feedback_labels_total", "label", "normal", "outcome", "applied"));
    assertEquals(1.0, s.value("streamlstm_feedback_labels_total", "label", "anomaly", "outcome", "late"));
    assertEquals(0.0, s.value("streamlstm_feedback_labels_total", "label", "anomaly", "outcome", "dropped"));
    assertEquals(4.0, s.value("streamlstm_rules_active"));
    assertEquals(1.0, s.value("streamlstm_rules_refusals_total"));
  }

  @Test
  void countsScoresAnomaliesAndDeadLettersWithPrometheusNames() throws Exception {
    MicrometerScoringObserver observer = metrics.observer();
    observer.scored("pump-9", "default", score(10.02, 10.0, 0.30, false, true), 40_000);
    observer.scored("pump-9", "default", score(9.8, 10.0, 0.50, false, false), 60_000);
    observer.scored("pump-9", "default", score(15.0, 10.0, 0.9995, true, false), 2_000_000);
    observer.deadLettered("NOT_FINITE");
    observer.deadLettered("NOT_FINITE");
    observer.deadLettered("malformed");
    observer.deadLettered("FUTURE_TIMESTAMP");
    observer.statesExpired(3);
    observer.statesExpired(1);

    Scrape s = scrape();
    assertEquals(3.0, s.value("streamlstm_readings_scored_total"));
    assertEquals(1.0, s.value("streamlstm_readings_warming_up_total"));
    assertEquals(1.0, s.value("streamlstm_anomalies_total", "reason", "sudden_error"));
    assertEquals(0.0, s.value("streamlstm_anomalies_total", "reason", "routine"));
    assertEquals(2.0, s.value("streamlstm_dead_letters_total", "reason", "not_finite"));
    assertEquals(1.0, s.value("streamlstm_dead_letters_total", "reason", "malformed"));
    assertEquals(0.0, s.value("streamlstm_dead_letters_total", "reason", "time_backwards"));
    assertEquals(1.0, s.value("streamlstm_dead_letters_total", "reason", "future_timestamp"));
    assertEquals(4.0, s.value("streamlstm_states_expired_total"));

    // Likelihood histogram: cumulative buckets in the tail.
    assertEquals(3.0, s.value("streamlstm_anomaly_likelihood_count"));
    assertEquals(1.0, s.value("streamlstm_anomaly_likelihood_bucket", "le", "0.3"));
    assertEquals(2.0, s.value("streamlstm_anomaly_likelihood_bucket", "le", "0.99"));
    assertEquals(2.0, s.value("streamlstm_anomaly_likelihood_bucket", "le", "0.999"));
    assertEquals(3.0, s.value("streamlstm_anomaly_likelihood_bucket", "le", "0.9999"));
    assertEquals(0.30 + 0.50 + 0.9995, s.value("streamlstm_anomaly_likelihood_sum"), 1e-9);

    // Prediction error recorded as an absolute value.
    assertEquals(5.22, s.value("streamlstm_prediction_error_sum"), 1e-9);
    assertEquals(2.0, s.value("streamlstm_prediction_error_bucket", "le", "0.3"));

    // Processing time in seconds, with sub-millisecond buckets.
    assertEquals(3.0, s.value("streamlstm_reading_processing_seconds_count"));
    assertEquals(0.0021, s.value("streamlstm_reading_processing_seconds_sum"), 1e-12);
    assertEquals(1.0, s.value("streamlstm_reading_processing_seconds_bucket", "le", "5.0E-5"));
    assertEquals(3.0, s.value("streamlstm_reading_processing_seconds_bucket", "le", "0.0025"));
  }

  @Test
  void countsEpisodesByEventFleetWideAndOpenedOnesPerSensor() throws Exception {
    MicrometerScoringObserver observer = metrics.observer();
    observer.scored("pump-2", "default", score(99.0, 20.0, 0.9999, true), 50_000);
    EpisodeState episode = new EpisodeState(0, 0, 0.9999, 4,
        new Explanation(Explanation.Reason.SUDDEN_ERROR, Reading.VALUE, 9, 20, 19, 21), 1, 0, false, 0);
    observer.episode(new EpisodeEvent(EpisodeEvent.Kind.OPENED, "pump-2", episode));
    observer.episode(new EpisodeEvent(EpisodeEvent.Kind.UPDATED, "pump-2", episode));
    observer.episode(new EpisodeEvent(EpisodeEvent.Kind.CLOSED, "pump-2", episode));
    observer.episode(new EpisodeEvent(EpisodeEvent.Kind.OPENED, "pump-2", episode));
    observer.episode(new EpisodeEvent(EpisodeEvent.Kind.OPENED, "untracked", episode));

    Scrape s = scrape();
    assertEquals(3.0, s.value("streamlstm_episodes_opened_total"));
    assertEquals(1.0, s.value("streamlstm_episodes_updated_total"));
    assertEquals(1.0, s.value("streamlstm_episodes_closed_total"));
    assertEquals(2.0, s.value("streamlstm_sensor_episodes_opened_total", "sensor", "pump-2"));
    assertFalse(s.has("streamlstm_sensor_episodes_opened_total", "sensor", "untracked"));
  }

  @Test
  void eachModelNameHasOneVersionSeriesThatFollowsItsSwitches() throws Exception {
    MicrometerScoringObserver observer = metrics.observer();
    observer.modelActivated("default", "v1");
    observer.modelActivated("pumps", "v1");
    observer.modelActivated("default", "v1"); // a second topology on this observer reporting the same start
    Scrape s = scrape();
    assertEquals(1.0, s.value("streamlstm_model_active", "model", "default", "version", "v1"));
    assertEquals(1.0, s.value("streamlstm_model_active", "model", "pumps", "version", "v1"));
    assertEquals(0.0, s.value("streamlstm_model_switches_total", "model", "default"));
    assertEquals(0.0, s.value("streamlstm_model_refusals_total", "model", "pumps"), "there from the start");

    observer.modelActivated("pumps", "v2");
    observer.modelRefused("pumps", "checksum");
    s = scrape();
    assertEquals(Set.of("v1", "v2"), s.labelValues("streamlstm_model_active", "version"));
    assertEquals(1.0, s.value("streamlstm_model_active", "model", "pumps", "version", "v2"));
    assertFalse(s.has("streamlstm_model_active", "model", "pumps", "version", "v1"));
    assertEquals(1.0, s.value("streamlstm_model_switches_total", "model", "pumps"));
    assertEquals(0.0, s.value("streamlstm_model_switches_total", "model", "default"));
    assertEquals(1.0, s.value("streamlstm_model_refusals_total", "model", "pumps"));
  }

  @Test
  void readingsAndAnomaliesAreCountedByTheModelThatScoredThem() throws Exception {
    MicrometerScoringObserver observer = metrics.observer();
    observer.modelActivated("default", "v1");
    observer.modelActivated("pumps", "v2");
    observer.scored("valve-1", "default", score(10.0, 9.5, 0.40, false), 50_000);
    observer.scored("pump-1", "pumps", score(10.0, 9.5, 0.40, false), 50_000);
    observer.scored("pump-2", "pumps", score(99.0, 20.0, 0.9999, true), 50_000);

    Scrape s = scrape();
    assertEquals(1.0, s.value("streamlstm_readings_scored_total", "model", "default"));
    assertEquals(2.0, s.value("streamlstm_readings_scored_total", "model", "pumps"));
    assertEquals(1.0, s.value("streamlstm_anomalies_total", "reason", "sudden_error", "model", "pumps"));
    assertEquals(0.0, s.value("streamlstm_anomalies_total", "reason", "sudden_error", "model", "default"));
    assertEquals(Set.of("default", "pumps"), s.labelValues("streamlstm_readings_scored_total", "model"));
  }

  @Test
  void silenceEventsAreCountedAndTheSilentSensorsOfTheTasksHereSummed() throws Exception {
    Scrape s = scrape();
    assertEquals(0.0, s.value("streamlstm_silence_silent_total"), "there from the start");
    assertEquals(0.0, s.value("streamlstm_silence_resumed_total"));
    assertEquals(0.0, s.value("streamlstm_sensors_silent"));

    MicrometerScoringObserver observer = metrics.observer();
    observer.silence(true);
    observer.silence(true);
    observer.silence(true);
    observer.silence(false);
    observer.silentSensors("0_0", 2);
    observer.silentSensors("0_1", 1);
    s = scrape();
    assertEquals(3.0, s.value("streamlstm_silence_silent_total"));
    assertEquals(1.0, s.value("streamlstm_silence_resumed_total"));
    assertEquals(3.0, s.value("streamlstm_sensors_silent"));

    observer.silentSensors("0_1", 0); // the task moved to another instance
    assertEquals(2.0, scrape().value("streamlstm_sensors_silent"));
  }

  @Test
  void perSensorBandForAllowListedAndTopSensors() throws Exception {
    MicrometerScoringObserver observer = metrics.observer();
    observer.scored("pump-1", "default", score(10.0, 9.5, 0.40, false), 50_000);
    observer.scored("pump-2", "default", score(99.0, 20.0, 0.9999, true), 50_000);
    observer.scored("pump-2", "default", score(98.0, 21.0, 0.9998, true), 50_000);

    Scrape s = scrape();
    assertEquals(10.0, s.value("streamlstm_sensor_value", "sensor", "pump-1", "channel", "value"));
    assertEquals(9.5, s.value("streamlstm_sensor_expected", "sensor", "pump-1", "channel", "value"));
    assertEquals(8.5, s.value("streamlstm_sensor_lower", "sensor", "pump-1", "channel", "value"));
    assertEquals(10.5, s.value("streamlstm_sensor_upper", "sensor", "pump-1", "channel", "value"));
    assertEquals(0.40, s.value("streamlstm_sensor_likelihood", "sensor", "pump-1"));
    assertEquals(98.0, s.value("streamlstm_sensor_value", "sensor", "pump-2", "channel", "value"));
    assertEquals(0.9998, s.value("streamlstm_sensor_likelihood", "sensor", "pump-2"));
    assertEquals(2.0, s.value("streamlstm_sensor_anomalies_total", "sensor", "pump-2"));
    assertEquals(0.0, s.value("streamlstm_sensor_anomalies_total", "sensor", "pump-1"));
    assertEquals(0.0, s.value("streamlstm_sensor_episodes_opened_total", "sensor", "pump-2"));
    assertEquals(2.0, s.value("streamlstm_sensors_tracked"));
    assertFalse(s.has("streamlstm_sensor_value", "sensor", "pump-3"));
  }
}
