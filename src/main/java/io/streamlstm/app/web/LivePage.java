package io.streamlstm.app.web;

import io.streamlstm.app.AppConfig;
import io.streamlstm.app.HttpEndpoint;
import io.streamlstm.app.HttpEndpoint.Request;
import io.streamlstm.app.HttpEndpoint.Response;
import io.streamlstm.app.Service;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The service's own page, on the port of {@code /metrics}: {@code /} is the page (fleet, sensor and
 * dead-letter views, drawn by the browser from the JSON routes), {@code /static/*} its script, style and
 * the chart library (uPlot, from its webjar in this jar: nothing is fetched from elsewhere), and
 * {@code /api/fleet}, {@code /api/sensor?id=}, {@code /api/deadletters} what it shows.
 *
 * <pre>
 *   LivePage page = LivePage.serve(service, appConfig);  // before or after service.start()
 *   ...
 *   page.close();                                        // stops its consumer
 * </pre>
 */
public final class LivePage implements AutoCloseable {

  /** Score records read back per partition at start: recent history for the charts, not the whole topic. */
  static final long SCORES_READ_BACK = 50_000;

  private static final String JSON = "application/json";
  /** Inside the uPlot webjar; the version is the pom's (a mismatch fails at the first use of this class). */
  private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
  /** Every file the page has, by the path it is served at; anything else is a 404. */
  private static final Map<String, Asset> ASSETS = Map.of(
      "/", Asset.load("io/streamlstm/app/web/index.html", "text/html; charset=utf-8"),
      "/static/app.js", Asset.load("io/streamlstm/app/web/app.js", "text/javascript; charset=utf-8"),
      "/static/charts.js", Asset.load("io/streamlstm/app/web/charts.js", "text/javascript; charset=utf-8"),
      "/static/style.css", Asset.load("io/streamlstm/app/web/style.css", "text/css; charset=utf-8"),
      "/static/uPlot.iife.min.js", Asset.load(UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
      "/static/uPlot.min.css", Asset.load(UPLOT + "uPlot.min.css", "text/css; charset=utf-8"));

  private final LiveFeed feed;

  private LivePage(LiveFeed feed) {
    this.feed = feed;
  }

  /** Starts reading the service's output topics and serves the page on its HTTP endpoint. */
  public static LivePage serve(Service service, AppConfig config) {
    return serve(config, service::route);
  }

  /** The same on a bare endpoint, for a page beside a topology that is not a {@link Service} (the bench). */
  public static LivePage serve(HttpEndpoint endpoint, AppConfig config) {
    return serve(config, endpoint::route);
  }

  private static LivePage serve(AppConfig config, BiConsumer<String, Function<Request, Response>> router) {
    final LiveView view = new LiveView(config.pageSensors(), config.pagePoints(),
        config.settings().detector().anomalyThreshold());
    final LiveFeed feed = LiveFeed.start(config.clientSettings(ConsumerConfig.configNames()),
        config.settings().scoresTopic(), config.settings().deadLetterTopic(), SCORES_READ_BACK, view);
    routes(view).forEach(router);
    return new LivePage(feed);
  }

  /** The page's routes showing {@code view}, by path: "/" serves the files, the others JSON. */
  static Map<String, Function<Request, Response>> routes(LiveView view) {
    return Map.of(
        "/", LivePage::asset,
        "/api/fleet", request -> json(view.fleetJson()),
        "/api/sensor", request -> sensor(view, request),
        "/api/deadletters", request -> json(view.deadLettersJson()));
  }

  private static Response sensor(LiveView view, Request request) {
    final String id = request.parameter("id");
    if (id == null) return Response.text(400, "which sensor? /api/sensor?id=...");
    final byte[] body = view.sensorJson(id);
    return body == null ? Response.text(404, "no recent scores of sensor " + id) : json(body);
  }

  private static Response asset(Request request) {
    final Asset asset = ASSETS.get(request.path());
    return asset == null ? Response.text(404, "not found: " + request.path())
        : new Response(200, asset.contentType(), asset.bytes());
  }

  private static Response json(byte[] body) {
    return new Response(200, JSON, body);
  }

  @Override
  public void close() {
    feed.close();
  }

  private record Asset(byte[] bytes, String contentType) {

    static Asset load(String resource, String contentType) {
      try (InputStream in = LivePage.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) throw new IllegalStateException("the jar lacks " + resource);
        return new Asset(in.readAllBytes(), contentType);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + resource, e);
      }
    }
  }
}
