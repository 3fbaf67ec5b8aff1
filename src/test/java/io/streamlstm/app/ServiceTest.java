package io.streamlstm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.streams.ScoringObserver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's HTTP side over real HTTP, without a broker (started services are the broker tests' job):
 * healthy but not ready before start, routes added by callers served, and a close ends {@code awaitStop}.
 */
class ServiceTest {

  @TempDir Path stateDir;

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(Service service, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthAndReadinessFollowTheStreamsState() throws IOException, InterruptedException {
    final AppConfig config = AppConfig.from(Map.of("bootstrap.servers", "127.0.0.1:9",
        "state.dir", stateDir.toString(), "application.id", "service-test"));
    final Service service = Service.create(config, ScoringObserver.NONE, 0);
    try {
      service.route("/extra", () -> HttpEndpoint.Response.text(200, "added by a caller"));
      assertEquals(KafkaStreams.State.CREATED, service.state());
      assertEquals(200, get(service, "/health").statusCode(), "created, not failed: healthy");
      assertEquals(503, get(service, "/ready").statusCode(), "not running yet: not ready");
      assertEquals("CREATED", get(service, "/ready").body());
      assertEquals("added by a caller", get(service, "/extra").body());

      final Thread closer = new Thread(service::close);
      closer.start();
      assertTrue(service.awaitStop(), "a close is a clean stop");
      closer.join();
      assertEquals(KafkaStreams.State.NOT_RUNNING, service.state());
    } finally {
      service.close();
    }
  }
}
