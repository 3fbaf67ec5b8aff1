package io.streamlstm.app;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The service's small HTTP side: health, readiness and metrics, each a route answering plain text.
 * The JDK's own server is enough for a scrape every few seconds and keeps the jar free of a web stack.
 */
public final class HttpEndpoint implements AutoCloseable {

  /** What a route answers: status code, content type and body. */
  public record Response(int status, String contentType, String body) {

    public static Response text(int status, String body) {
      return new Response(status, "text/plain; charset=utf-8", body);
    }
  }

  private final HttpServer server;

  private HttpEndpoint(HttpServer server) {
    this.server = server;
  }

  /** Binds {@code host:port} (port 0 picks a free one) and starts serving. */
  public static HttpEndpoint start(String host, int port) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
      server.start();
      return new HttpEndpoint(server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
    }
  }

  /** Serves {@code path} with whatever {@code handler} answers at the time of each request. */
  public HttpEndpoint route(String path, Supplier<Response> handler) {
    server.createContext(path, exchange -> {
      Response response;
      try {
        response = handler.get();
      } catch (RuntimeException e) {
        response = Response.text(500, e.toString());
      }
      byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      exchange.sendResponseHeaders(response.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
