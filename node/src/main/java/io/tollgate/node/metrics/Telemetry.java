package io.tollgate.node.metrics;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kamon.Kamon;
import kamon.prometheus.PrometheusReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.FutureConverters;

/**
 * Starts and stops Kamon for the JVM: the Prometheus scrape endpoint on
 * {@code tollgate.metrics.prometheus-host}:{@code prometheus-port} (0 = a free port; behind a bearer
 * token through {@link MetricsEndpoint} when {@code tollgate.metrics.token} is set), the status
 * page off, and the Kanela instrumentation attached only when {@code tollgate.metrics.instrumentation}
 * is on. Kamon is one per JVM, so {@link #init} is idempotent: the first call wins until
 * {@link #stop}. Call {@code init} before the ActorSystem is created, so the instrumentation sees
 * Pekko's classes load.
 */
public final class Telemetry {
  private static final Logger log = LoggerFactory.getLogger(Telemetry.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private static int port = -1;
  private static MetricsEndpoint endpoint;

  private Telemetry() {}

  /** {@code config} is the node's whole configuration (usually {@code ConfigFactory.load()}). */
  public static synchronized void init(Config config) {
    if (port >= 0) {
      return;
    }
    Config settings = config.getConfig("tollgate.metrics");
    String host = settings.getString("prometheus-host");
    int configured = settings.getInt("prometheus-port");
    int chosen = configured == 0 ? freePort(host) : configured;
    boolean instrument = settings.getBoolean("instrumentation");
    String token = settings.getString("token");
    Config overrides = ConfigFactory.parseMap(Map.of(
        "kamon.prometheus.start-embedded-http-server", token.isEmpty(),
        "kamon.prometheus.embedded-server.hostname", host,
        "kamon.prometheus.embedded-server.port", chosen,
        "kamon.modules.status-page.enabled", false,
        "kamon.init.attach-instrumentation", instrument));
    Config kamonConfig = ConfigFactory.load(overrides.withFallback(config));
    if (instrument) {
      Kamon.init(kamonConfig);
    } else {
      Kamon.initWithoutAttaching(kamonConfig);
    }
    if (!token.isEmpty()) {
      endpoint = MetricsEndpoint.start(host, chosen, token,
          () -> PrometheusReporter.latestScrapeData().getOrElse(() -> ""));
    }
    port = chosen;
    log.info("metrics on http://{}:{}/metrics (instrumentation {}, token {})", host, chosen, instrument ? "on" : "off",
        token.isEmpty() ? "none" : "required");
  }

  /** The port of the scrape endpoint, or -1 when Telemetry is not running. */
  public static synchronized int prometheusPort() {
    return port;
  }

  /**
   * Stops the reporters and the scrape endpoint, waiting at most 10 s. Blocks: call it from the
   * main thread or a shutdown hook, never from a dispatcher thread (use {@link #stopAsync} there).
   */
  public static void stop() {
    try {
      stopAsync().toCompletableFuture().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("metrics did not stop cleanly: {}", e.getClass().getSimpleName());
    }
  }

  /** Stops the reporters and the scrape endpoint; completes when they are down. */
  public static synchronized CompletionStage<Void> stopAsync() {
    if (port < 0) {
      return CompletableFuture.completedFuture(null);
    }
    port = -1;
    if (endpoint != null) {
      endpoint.stop();
      endpoint = null;
    }
    return FutureConverters.asJava(Kamon.stop()).thenApply(done -> null);
  }

  private static int freePort(String host) {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for the metrics endpoint on " + host, e);
    }
  }
}
