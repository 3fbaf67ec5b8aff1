package io.streamlstm.app;

import io.streamlstm.lstm.Model;
import io.streamlstm.lstm.ModelFile;
import io.streamlstm.lstm.Models;
import io.streamlstm.streams.ScoringObserver;
import io.streamlstm.streams.ScoringTopology;
import io.streamlstm.streams.StreamThreadFailures;
import io.streamlstm.streams.Topics;
import io.streamlstm.streams.UncleanStopCleanup;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running scorer: Kafka Streams with the scoring topology, and an HTTP endpoint answering
 * {@code /health} (200 unless the streams client failed or stopped) and {@code /ready} (200 while
 * RUNNING, i.e. not rebalancing or restoring). Callers add their own routes, e.g. metrics. A stream thread that
 * dies is replaced, unless they keep dying ({@link StreamThreadFailures}). After a run that did not stop cleanly, the
 * local task state is wiped at start ({@link UncleanStopCleanup}).
 *
 * <pre>
 *   Service service = Service.create(config, observer, 8080);  // HTTP up, streams not started
 *   service.route("/metrics", ...);                            // bind meters to service.kafkaStreams()
 *   service.start();
 *   service.awaitStop();                                       // until close() or a fatal error
 * </pre>
 */
public final class Service implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Service.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  static final Duration SENSOR_RECOUNT = Duration.ofSeconds(10);
  private static final Set<State> UNHEALTHY = Set.of(State.PENDING_ERROR, State.ERROR, State.NOT_RUNNING);

  private final AppConfig config;
  private final RulesFile rules;
  private final KafkaStreams streams;
  private final UncleanStopCleanup uncleanStop;
  private final HttpEndpoint http;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private Long sensorCount;
  private long sensorCountedAt;

  private Service(AppConfig config, RulesFile rules, KafkaStreams streams, HttpEndpoint http) {
    this.config = config;
    this.rules = rules;
    this.streams = streams;
    this.uncleanStop = new UncleanStopCleanup(config.kafka());
    this.http = http;
  }

  /** Builds the streams client and opens the HTTP endpoint on {@code httpPort} (0 picks a free port). */
  public static Service create(AppConfig config, ScoringObserver observer, int httpPort) {
    final Model shipped = config.modelFile() == null ? Models.loadDefault() : ModelFile.read(config.modelFile());
    // A bad rules file stops the start, with its line numbers; later changes are re-read while running.
    final RulesFile rules = config.rulesFile() == null ? null : RulesFile.watch(config.rulesFile(), observer);
    final Topology topology = rules == null ? ScoringTopology.build(config.settings(), shipped, observer)
        : ScoringTopology.build(config.settings(), shipped, observer, rules);
    LOG.info("Topology:\n{}", topology.describe());
    final KafkaStreams streams = new KafkaStreams(topology, config.kafka());
    streams.setUncaughtExceptionHandler(new StreamThreadFailures(observer));
    final HttpEndpoint http = HttpEndpoint.start("0.0.0.0", httpPort);
    final Service service = new Service(config, rules, streams, http);
    streams.setStateListener((now, before) -> {
      LOG.info("Kafka Streams {} -> {}", before, now);
      if (now == State.ERROR || now == State.NOT_RUNNING) service.stopped.countDown();
    });
    http.route("/health", () -> {
      final State state = streams.state();
      return HttpEndpoint.Response.text(UNHEALTHY.contains(state) ? 503 : 200, state.name());
    });
    http.route("/ready", () -> {
      final State state = streams.state();
      return HttpEndpoint.Response.text(state == State.RUNNING ? 200 : 503, state.name());
    });
    return service;
  }

  /** Adds a route to the HTTP endpoint, before or after {@link #start()}. */
  public Service route(String path, Supplier<HttpEndpoint.Response> handler) {
    http.route(path, handler);
    return this;
  }

  /** Adds a route that reads its request (path, query), e.g. the live page's. */
  public Service route(String path, Function<HttpEndpoint.Request, HttpEndpoint.Response> handler) {
    http.route(path, handler);
    return this;
  }

  /** The streams client, e.g. to bind its metrics before {@link #start()}. */
  public KafkaStreams kafkaStreams() {
    return streams;
  }

  public int httpPort() {
    return http.port();
  }

  /** Creates missing topics (unless configured off), checks the feedback topic's partitions, and starts processing. */
  public void start() {
    try (Admin admin = Admin.create(config.clientSettings(AdminClientConfig.configNames()))) {
      if (config.createTopics()) Topics.ensure(admin, config.settings(), config.topicPartitions());
      Topics.checkFeedbackPartitions(admin, config.settings());
    }
    uncleanStop.beforeStart(streams);
    streams.start();
  }

  /** Blocks until the service is closed or Kafka Streams stopped on a fatal error; true for a clean stop. */
  public boolean awaitStop() throws InterruptedException {
    stopped.await();
    return streams.state() != State.ERROR;
  }

  /**
   * Sensors with state in this instance's store, e.g. for a gauge; null while the store cannot be
   * queried (starting, rebalancing). Counted key by key: RocksDB's own estimate also counts overwrites
   * not yet compacted (2000 for 10 sensors after 2000 readings). A count costs a scan of the store, so
   * it is redone at most every {@link #SENSOR_RECOUNT}.
   */
  public synchronized Long sensorCount() {
    final long now = System.nanoTime();
    if (sensorCount != null && now - sensorCountedAt < SENSOR_RECOUNT.toNanos()) return sensorCount;
    try (KeyValueIterator<String, byte[]> states = streams.store(StoreQueryParameters.fromNameAndType(
        ScoringTopology.SENSOR_STATE_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore())).all()) {
      long count = 0;
      while (states.hasNext()) {
        states.next();
        count++;
      }
      sensorCount = count;
      sensorCountedAt = now;
      return sensorCount;
    } catch (InvalidStateStoreException notQueryableNow) {
      return null;
    }
  }

  public State state() {
    return streams.state();
  }

  /** Commits and closes Kafka Streams (bounded wait), then the HTTP endpoint. Safe to call twice. */
  @Override
  public void close() {
    // A dynamic member leaves the group at once, so its partitions move to the other instances now rather
    // than after the session timeout; a static member (group.instance.id) stays, to come back without a
    // rebalance.
    final boolean staticMember = config.kafka().stringPropertyNames().stream()
        .anyMatch(name -> name.endsWith(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
    final CloseOptions options = CloseOptions.groupMembershipOperation(staticMember
        ? CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP
        : CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(CLOSE_TIMEOUT);
    if (streams.close(options)) {
      uncleanStop.afterCleanClose();
    } else {
      LOG.warn("Kafka Streams did not close within {}", CLOSE_TIMEOUT);
    }
    if (rules != null) rules.close();
    http.close();
    stopped.countDown();
  }
}
