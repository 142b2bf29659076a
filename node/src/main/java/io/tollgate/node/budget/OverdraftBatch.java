package io.tollgate.node.budget;

import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.budget.TenantBudget;
import java.time.Instant;
import java.util.UUID;

/**
 * Calls of one key admitted under the tenant's overdraft within one minute of this node's clock:
 * their audit records carry {@link #id} as their lease, and once they have all ended their usage is
 * settled as one {@code SettleOverdraft} into the windows of {@link #admittedAt}. Guarded by the
 * owning {@link KeyLease}.
 */
final class OverdraftBatch {
  final String id = TenantBudget.OVERDRAFT_LEASE_PREFIX + UUID.randomUUID();
  final Instant admittedAt;
  final long minute;
  Demand spent = Demand.ZERO;
  int inFlight;
  /** No more admissions join it: it is being (or has been) sent. */
  boolean sealed;
  boolean sending;

  OverdraftBatch(Instant admittedAt) {
    this.admittedAt = admittedAt;
    this.minute = minuteOf(admittedAt);
  }

  static long minuteOf(Instant t) {
    return Math.floorDiv(t.toEpochMilli(), 60_000L);
  }
}
