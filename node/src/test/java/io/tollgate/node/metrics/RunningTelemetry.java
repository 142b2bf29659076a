package io.tollgate.node.metrics;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts {@link Telemetry} once per test JVM (a free port, no instrumentation, a fast tick) and
 * stops it when every test has run. Kamon is one per JVM, so test classes share it; each test uses
 * its own region label to keep its series apart.
 */
final class RunningTelemetry implements BeforeAllCallback {
  static final Config CONFIG = ConfigFactory.parseString("""
      tollgate.metrics {
        prometheus-port = 0
        prometheus-host = "127.0.0.1"
        instrumentation = off
      }
      kamon.metric.tick-interval = 200ms
      """).withFallback(ConfigFactory.load()).resolve();

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(RunningTelemetry.class, key -> {
          Telemetry.init(CONFIG);
          return (ExtensionContext.Store.CloseableResource) Telemetry::stop;
        });
  }
}
