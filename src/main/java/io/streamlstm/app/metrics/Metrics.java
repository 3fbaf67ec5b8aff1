package io.streamlstm.app.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlstm.app.HttpEndpoint;
import io.streamlstm.app.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The one place metrics are wired: a Prometheus registry with JVM and process meters, the scoring
 * observer the topology reports to, and — once the app is built — Kafka Streams' own metrics, the
 * sensor count and the {@code /metrics} route.
 *
 * <p>Two steps because the observer goes into the topology before {@link KafkaStreams} exists:
 * <pre>
 *   Metrics metrics = new Metrics(config);
 *   Service service = Service.create(appConfig, metrics.observer(), port);
 *   metrics.bindTo(service);   // before service.start()
 * </pre>
 */
public final class Metrics implements AutoCloseable {

  /** Prometheus' text exposition format, the one {@link PrometheusMeterRegistry#scrape()} writes. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final MetricsConfig config;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MicrometerScoringObserver observer;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  /** Re-reads Kafka Streams' metric list; a daemon so a forgotten close never blocks exit. */
  private ScheduledExecutorService kafkaRefresh;

  public Metrics(MetricsConfig config) {
    this.config = config;
    JvmGcMetrics gc = new JvmGcMetrics();
    closeables.add(gc);
    for (MeterBinder binder : List.of(new JvmMemoryMetrics(), gc, new JvmThreadMetrics(),
        new ClassLoaderMetrics(), new ProcessorMetrics(), new UptimeMetrics(),
        new FileDescriptorMetrics())) {
      binder.bindTo(registry);
    }
    observer = new MicrometerScoringObserver(registry, new SensorSeries(registry,
        config.sensorAllowList(), config.topSensors(), config.topSensorHalfLife(),
        config.topSensorMinDwell(), System::currentTimeMillis));
  }

  public MicrometerScoringObserver observer() {
    return observer;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** {@link #bind} to the service's Kafka Streams and sensor store, and serves {@code /metrics} on its endpoint. */
  public Metrics bindTo(Service service) {
    bind(service.kafkaStreams(), service::sensorCount);
    service.route("/metrics", route());
    return this;
  }

  /**
   * Binds the running app's numbers: Kafka Streams' client, thread, task and RocksDB metrics, and the
   * number of sensors in the store (read at scrape time; null while unknown). Call before
   * {@code streams.start()}.
   */
  public synchronized Metrics bind(KafkaStreams streams, Supplier<Long> sensors) {
    if (kafkaRefresh != null) {
      throw new IllegalStateException("already bound");
    }
    kafkaRefresh = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "streamlstm-metrics-refresh");
      t.setDaemon(true);
      return t;
    });
    // Task and RocksDB metrics only exist once tasks are assigned: re-read them every few seconds
    // instead of Micrometer's default minute.
    KafkaStreamsMetrics kafka = new KafkaStreamsMetrics(streams, Tags.empty(), kafkaRefresh,
        config.kafkaStreamsRefresh());
    kafka.bindTo(registry);
    closeables.add(kafka);
    Gauge.builder("streamlstm.sensors", sensors, s -> {
          Long n = s.get();
          return n == null ? Double.NaN : n;
        })
        // Held strongly: the supplier is typically a method reference nothing else keeps alive.
        .strongReference(true)
        .description("Sensors with state in the store (approximate)").register(registry);
    return this;
  }

  /** The {@code /metrics} route: the registry in Prometheus' text format, as of each request. */
  public Supplier<HttpEndpoint.Response> route() {
    return () -> new HttpEndpoint.Response(200, CONTENT_TYPE, registry.scrape());
  }

  @Override
  public synchronized void close() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        // Closing metrics must never stop the app's shutdown.
      }
    }
    closeables.clear();
    if (kafkaRefresh != null) {
      kafkaRefresh.shutdownNow();
    }
    registry.close();
  }
}
