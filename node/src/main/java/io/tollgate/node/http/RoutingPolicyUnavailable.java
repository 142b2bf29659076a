package io.tollgate.node.http;

import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The refusal of a call whose tenant's routing policy could not be read (Cassandra unreachable, a
 * row that cannot be decoded): the policy may pin the tenant to a region or forbid deployments, so
 * the call is not routed without it.
 */
final class RoutingPolicyUnavailable {
  static final GatewayException ERROR = new GatewayException(ErrorKind.UNAVAILABLE,
      "The routing policy of this tenant cannot be read right now; retry shortly.", null,
      "routing_policy_unavailable");

  private static final Logger log = LoggerFactory.getLogger(RoutingPolicyUnavailable.class);
  /** While Cassandra is away every call fails this way: one warning per interval is enough. */
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

  private RoutingPolicyUnavailable() {}

  /** Says (at most once per 10 s per node) that calls are being refused because a policy could not be read. */
  static void warn(String tenantId, Throwable failure) {
    long now = System.nanoTime();
    long last = lastWarning.get();
    if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
      log.warn("routing policy of tenant {} could not be read; calls whose policy cannot be read are refused"
          + " (503 routing_policy_unavailable) until it can be: {}", tenantId, ErrorResponses.unwrap(failure).toString());
    }
  }
}
