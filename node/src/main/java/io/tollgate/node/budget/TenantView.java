package io.tollgate.node.budget;

import io.tollgate.persistence.budget.TenantLimits;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What this node knows about one tenant: its limits as last read (so it can fail open when the
 * entity is away, and skip everything for a tenant without limits) and what it admitted under the overdraft.
 */
final class TenantView {
  final String tenantId;
  private volatile TenantLimits limits;
  private volatile long nextReadNanos;
  private final AtomicBoolean reading = new AtomicBoolean();
  /** What this node admitted under the tenant's overdraft today. */
  final Overdraft overdraft = new Overdraft();

  TenantView(String tenantId, long nowNanos) {
    this.tenantId = tenantId;
    this.nextReadNanos = nowNanos;
  }

  /** The limits as last read, or null before the first successful read. */
  TenantLimits limits() {
    return limits;
  }

  /** Whether the tenant has no limits at all (as last read): its requests need no lease. */
  boolean unlimited() {
    TenantLimits l = limits;
    return l != null && l.limits().isEmpty();
  }

  /** Claims the next read of the limits when one is due and none is running. */
  boolean claimRead(long nowNanos) {
    return nowNanos - nextReadNanos >= 0 && reading.compareAndSet(false, true);
  }

  void readDone(TenantLimits read, long nextReadNanos) {
    if (read != null) {
      this.limits = read;
    }
    this.nextReadNanos = nextReadNanos;
    reading.set(false);
  }
}
