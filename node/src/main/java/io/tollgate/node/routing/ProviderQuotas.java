package io.tollgate.node.routing;

import io.tollgate.node.catalog.ModelRoute;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * This node's share of each deployment's provider tokens-per-minute limit ({@link
 * ModelRoute#providerTpm()}): the limit divided by the number of nodes in the region, counted in
 * fixed UTC minutes. Node-local and approximate by design; the provider's own 429 (and the circuit)
 * catches what the shares miss. Lock-free: the minute and the tokens used in it share one
 * {@link AtomicLong}, so a new minute resets the count atomically.
 */
public final class ProviderQuotas {
  private static final int TOKEN_BITS = 38;
  private static final long TOKEN_MASK = (1L << TOKEN_BITS) - 1;
  /** The minute is kept modulo 2^25 (63 years): it only has to differ from the last one seen. */
  private static final long MINUTE_MASK = (1L << 25) - 1;

  private final IntSupplier nodesInRegion;
  private final Clock clock;
  private final ConcurrentMap<String, AtomicLong> windows = new ConcurrentHashMap<>();

  /** {@code nodesInRegion}: how many nodes share the provider limits (read on every check; at least 1 is used). */
  public ProviderQuotas(IntSupplier nodesInRegion) {
    this(nodesInRegion, Clock.systemUTC());
  }

  public ProviderQuotas(IntSupplier nodesInRegion, Clock clock) {
    this.nodesInRegion = nodesInRegion;
    this.clock = clock;
  }

  /** Tokens this node sent to the deployment (the estimate when sending, or the actual usage after). */
  public void use(String deploymentId, long tokens) {
    if (tokens <= 0) {
      return;
    }
    AtomicLong window = windows.get(deploymentId);
    if (window == null) {
      window = windows.computeIfAbsent(deploymentId, id -> new AtomicLong());
    }
    long minute = minute();
    while (true) {
      long packed = window.get();
      long used = (packed >>> TOKEN_BITS) == minute ? packed & TOKEN_MASK : 0;
      long next = (minute << TOKEN_BITS) | Math.min(TOKEN_MASK, used + Math.min(tokens, TOKEN_MASK));
      if (window.compareAndSet(packed, next)) {
        return;
      }
    }
  }

  /** Whether {@code tokens} more fit in this node's share of the deployment's limit this minute (always, without a limit). */
  public boolean hasRoom(ModelRoute deployment, long tokens) {
    long limit = deployment.providerTpm();
    if (limit <= 0) {
      return true;
    }
    return usedThisMinute(deployment.deploymentId()) + Math.max(0, tokens) <= limit / Math.max(1, nodesInRegion.getAsInt());
  }

  /** Tokens this node sent to the deployment in the current UTC minute. */
  public long usedThisMinute(String deploymentId) {
    AtomicLong window = windows.get(deploymentId);
    if (window == null) {
      return 0;
    }
    long packed = window.get();
    return (packed >>> TOKEN_BITS) == minute() ? packed & TOKEN_MASK : 0;
  }

  private long minute() {
    return Math.floorDiv(clock.millis(), 60_000L) & MINUTE_MASK;
  }
}
