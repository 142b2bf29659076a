package io.tollgate.node.routing;

import java.util.Locale;
import java.util.Optional;

/** How the deployments of a model group are ordered for one request. */
public enum RoutingStrategy {
  /** Lowest priority number first; the others are the fallback, in priority order. */
  PRIORITY,
  /** A weighted random order: each deployment leads in proportion to its weight. */
  WEIGHTED,
  /** Fastest first, by the moving average of time to first token (streams) or total latency. */
  LEAST_LATENCY,
  /** Cheapest first, by the price of the request's estimated tokens. */
  LOWEST_COST;

  /** The name used in configuration and the {@code x-tollgate-strategy} header, e.g. {@code least-latency}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Optional<RoutingStrategy> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (RoutingStrategy s : values()) {
      if (s.name().equals(n)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
