package io.tollgate.node.proxy;

import com.typesafe.config.Config;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.node.metrics.GatewayMetrics;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Each tenant's share of this node's provider connections: at most {@code cap} calls of one tenant
 * in flight to one provider host at a time (a call holds its slot from its attempt until its answer
 * was read whole or its stream ended), where {@code cap} is {@code tollgate.upstream.tenant-share}
 * of the host's pool ({@code tollgate.upstream.max-connections}), at least 1. Pekko HTTP keeps one
 * pool per host, so this is the pool a tenant's long streams could otherwise fill. Counts only
 * what this node sends; a cluster of N nodes lets a tenant hold N shares, one per node's pool.
 */
public final class TenantShares {
  private record Key(String tenant, String host) {}

  private final ConcurrentHashMap<Key, Integer> inFlight = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, String> hostOfDeployment = new ConcurrentHashMap<>();
  private final int cap;
  private final GatewayMetrics metrics;

  TenantShares(int cap, GatewayMetrics metrics) {
    this.cap = cap;
    this.metrics = metrics;
  }

  static TenantShares from(Config config, GatewayMetrics metrics) {
    double share = config.getDouble("tollgate.upstream.tenant-share");
    int connections = config.getInt("tollgate.upstream.max-connections");
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("tollgate.upstream.tenant-share must be above 0 and at most 1, was " + share);
    }
    return new TenantShares(Math.max(1, (int) Math.floor(share * connections)), metrics);
  }

  /** Calls one tenant may have in flight to one provider host. */
  int cap() {
    return cap;
  }

  /** A slot for {@code tenant}'s call to {@code route}'s provider host; null when the tenant holds its share already. */
  Slot tryAcquire(String tenant, ModelRoute route) {
    Key key = new Key(tenant, host(route));
    boolean[] granted = {false};
    inFlight.compute(key, (k, n) -> {
      int held = n == null ? 0 : n;
      if (held >= cap) {
        return n;
      }
      granted[0] = true;
      return held + 1;
    });
    return granted[0] ? new Slot(key) : null;
  }

  /** A call was refused because every candidate was at the tenant's share. */
  void refused() {
    metrics.recordThrottled(GatewayMetrics.THROTTLED_TENANT_SHARE);
  }

  /** Calls {@code tenant} has in flight to the host of {@code route} (tests, diagnostics). */
  int inFlight(String tenant, ModelRoute route) {
    return inFlight.getOrDefault(new Key(tenant, host(route)), 0);
  }

  private String host(ModelRoute route) {
    return hostOfDeployment.computeIfAbsent(route.deploymentId(), id -> hostKey(route.endpoint().baseUrl()));
  }

  /** Scheme, host and port: what Pekko HTTP keys its connection pools by. */
  static String hostKey(String baseUrl) {
    try {
      URI uri = URI.create(baseUrl);
      String scheme = uri.getScheme() == null ? "http" : uri.getScheme().toLowerCase(Locale.ROOT);
      int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
      return scheme + "://" + String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT) + ":" + port;
    } catch (IllegalArgumentException notAUri) {
      return baseUrl;
    }
  }

  /** One call's hold on a tenant's share; released once, however often {@link #release} is called. */
  final class Slot {
    private final Key key;
    private final AtomicBoolean released = new AtomicBoolean();

    private Slot(Key key) {
      this.key = key;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        inFlight.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
      }
    }
  }
}
