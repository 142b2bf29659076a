package io.tollgate.node.proxy;

import com.typesafe.config.Config;
import java.time.Duration;

/** {@code tollgate.routing}: how long and how often a call may try deployments. */
public record RoutingSettings(
    Duration deadline, int maxAttempts, Duration backoffInitial, Duration backoffMax, Duration maxRetryWait,
    String strategyHeader) {

  public static RoutingSettings from(Config config) {
    Config r = config.getConfig("tollgate.routing");
    return new RoutingSettings(
        r.getDuration("deadline"),
        Math.max(1, r.getInt("max-attempts")),
        r.getDuration("backoff-initial"),
        r.getDuration("backoff-max"),
        r.getDuration("max-retry-wait"),
        r.getString("strategy-header"));
  }
}
