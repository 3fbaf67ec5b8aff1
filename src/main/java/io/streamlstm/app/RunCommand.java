package io.streamlstm.app;

import io.streamlstm.app.metrics.Metrics;
import io.streamlstm.app.metrics.MetricsOptions;
import io.streamlstm.app.web.LivePage;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code streamlstm run}: the scoring service, until SIGTERM or a fatal error. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Score sensor readings from Kafka continuously (see the configuration keys in the README).")
public final class RunCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE",
      description = "Properties file: streamlstm.*, detector.* and any Kafka Streams/client setting.")
  Path config;

  @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT", description = "Overrides bootstrap.servers.")
  String bootstrapServers;

  @Option(names = "--http-port", defaultValue = "8080", description = "Port of the live page, /health, /ready and /metrics (default ${DEFAULT-VALUE}).")
  int httpPort;

  @Mixin MetricsOptions metricsOptions;

  @Override
  public Integer call() throws InterruptedException {
    AppConfig appConfig = AppConfig.load(config, System.getenv());
    if (bootstrapServers != null) appConfig = appConfig.withBootstrapServers(bootstrapServers);
    final Metrics metrics = new Metrics(metricsOptions.config());
    final Service service = Service.create(appConfig, metrics.observer(), httpPort);
    metrics.bindTo(service);
    final LivePage page = LivePage.serve(service, appConfig);
    // SIGTERM (docker stop, kubectl delete) commits and closes instead of abandoning an open transaction.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      page.close();
      service.close();
      metrics.close();
    }, "streamlstm-shutdown"));
    service.start();
    final String http = "http://localhost:" + service.httpPort();
    System.err.println("streamlstm: scoring; live page on " + http + "/, health on " + http + "/health");
    return service.awaitStop() ? 0 : 1;
  }
}
