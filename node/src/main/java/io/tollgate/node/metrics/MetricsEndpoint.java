package io.tollgate.node.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The Prometheus scrape endpoint when it asks for a bearer token ({@code tollgate.metrics.token}):
 * {@code GET /metrics} answers the latest scrape text to {@code Authorization: Bearer <token>}
 * and 401 to anything else (compared in constant time). One per JVM, like Kamon; Kamon's own
 * embedded server, which cannot check a token, is not started then.
 */
public final class MetricsEndpoint {
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;

  private MetricsEndpoint(HttpServer server) {
    this.server = server;
  }

  /** Listens on {@code host}:{@code port} (0 = a free port) and serves {@code scrape}'s text. */
  public static MetricsEndpoint start(String host, int port, String token, Supplier<String> scrape) {
    byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
      server.createContext("/metrics", exchange -> answer(exchange, expected, scrape));
      // One thread: scrapes are rare, and the endpoint must not take threads from the gateway.
      server.setExecutor(Executors.newSingleThreadExecutor(r -> new Thread(r, "tollgate-metrics-endpoint")));
      server.start();
      return new MetricsEndpoint(server);
    } catch (IOException e) {
      throw new IllegalStateException("metrics endpoint could not listen on " + host + ":" + port, e);
    }
  }

  private static void answer(HttpExchange exchange, byte[] expected, Supplier<String> scrape) throws IOException {
    try (exchange) {
      String presented = exchange.getRequestHeaders().getFirst("Authorization");
      if (presented == null || !MessageDigest.isEqual(presented.strip().getBytes(StandardCharsets.UTF_8), expected)) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public void stop() {
    server.stop(0);
  }
}
