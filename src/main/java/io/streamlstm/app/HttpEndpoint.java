package io.streamlstm.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The service's small HTTP side: health, readiness, metrics and the live page, each a route.
 * The JDK's own server is enough for a scrape every few seconds and a page polling once a second, and
 * keeps the jar free of a web stack.
 */
public final class HttpEndpoint implements AutoCloseable {

  /** What a route answers: status code, content type and body. */
  public record Response(int status, String contentType, byte[] body) {

    public Response(int status, String contentType, String body) {
      this(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public static Response text(int status, String body) {
      return new Response(status, "text/plain; charset=utf-8", body);
    }
  }

  /** What a route is asked: the request's full path and its query parameters. */
  public record Request(String path, Map<String, String> query) {

    /** A query parameter, or null when absent. */
    public String parameter(String name) {
      return query.get(name);
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
    return route(path, request -> handler.get());
  }

  /**
   * Serves {@code path} and every path below it (the JDK server matches by prefix; "/" is the fallback
   * for all paths no other route takes) with what {@code handler} answers for the request.
   */
  public HttpEndpoint route(String path, Function<Request, Response> handler) {
    server.createContext(path, exchange -> {
      Response response;
      try {
        response = handler.apply(request(exchange));
      } catch (RuntimeException e) {
        response = Response.text(500, e.toString());
      }
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      exchange.sendResponseHeaders(response.status(), response.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response.body());
      }
    });
    return this;
  }

  private static Request request(HttpExchange exchange) {
    final String raw = exchange.getRequestURI().getRawQuery();
    final Map<String, String> query = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        final int eq = pair.indexOf('=');
        final String name = eq < 0 ? pair : pair.substring(0, eq);
        final String value = eq < 0 ? "" : pair.substring(eq + 1);
        query.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    }
    return new Request(exchange.getRequestURI().getPath(), query);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
