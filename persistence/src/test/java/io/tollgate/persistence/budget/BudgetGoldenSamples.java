package io.tollgate.persistence.budget;

import io.tollgate.persistence.budget.TenantBudget.LeaseExpired;
import io.tollgate.persistence.budget.TenantBudget.LeaseGranted;
import io.tollgate.persistence.budget.TenantBudget.LeaseReconciled;
import io.tollgate.persistence.budget.TenantBudget.LeaseLateSettled;
import io.tollgate.persistence.budget.TenantBudget.LeaseSettled;
import io.tollgate.persistence.budget.TenantBudget.OverdraftSettled;
import io.tollgate.persistence.budget.TenantBudget.WindowsMoved;
import io.tollgate.persistence.budget.TenantBudget.LimitsSet;
import io.tollgate.persistence.budget.TenantBudget.State;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The values the golden files under {@code golden/budget/} were written from (0.2.0, and 0.4.0 below). */
final class BudgetGoldenSamples {
  static final Instant T1 = Instant.parse("2025-01-02T03:04:05.678Z");
  static final Instant T2 = Instant.parse("2025-01-02T03:04:35Z");
  static final String KEY = "key_0123456789abcdef";

  static final WindowKey DAY =
      new WindowKey("tenant", LimitKind.USD, Period.DAILY, Instant.parse("2025-01-01T23:00:00Z").toEpochMilli());
  static final WindowKey MONTH =
      new WindowKey("team:ml|research", LimitKind.TOKENS, Period.MONTHLY, Instant.parse("2024-12-31T23:00:00Z").toEpochMilli());
  static final WindowKey MINUTE =
      new WindowKey("key:" + KEY, LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, Instant.parse("2025-01-02T03:04:00Z").toEpochMilli());

  static final TenantLimits LIMITS = new TenantLimits("Europe/Berlin", FailMode.OPEN, 5_000_000, List.of(
      new Limit("tenant", LimitKind.USD, Period.DAILY, 100_000_000),
      new Limit("team:ml|research", LimitKind.TOKENS, Period.MONTHLY, 1_000_000),
      new Limit("key:" + KEY, LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, 60),
      new Limit("key:" + KEY, LimitKind.TOKENS_PER_MINUTE, Period.MINUTE, 90_000)));

  static final LimitsSet LIMITS_SET = new LimitsSet(LIMITS);

  static final LeaseGranted LEASE_GRANTED = new LeaseGranted("lease-1", "node-a", KEY, "ml|research", T1, T2,
      ordered(Map.entry(DAY, 250_000L), Map.entry(MONTH, 40_000L), Map.entry(MINUTE, 4L)));

  static final LeaseSettled LEASE_SETTLED = new LeaseSettled("lease-1", 3, new Demand(1_234, 567, 2), false, T2);

  static final LeaseSettled LEASE_CLOSED = new LeaseSettled("lease-1", 4, new Demand(10, 20, 1), true, null);

  static final LeaseExpired LEASE_EXPIRED = new LeaseExpired("lease-2");

  static final LeaseReconciled LEASE_RECONCILED = new LeaseReconciled("lease-2", new Demand(10, 20, 1));

  static final State STATE = new State(LIMITS,
      ordered(Map.entry(DAY, 1_234L), Map.entry(MONTH, 567L)),
      Map.of("lease-1", new Lease("lease-1", "node-a", KEY, "ml|research", T1, T2,
          ordered(Map.entry(DAY, 250_000L), Map.entry(MONTH, 40_000L)),
          ordered(Map.entry(DAY, 1_234L), Map.entry(MONTH, 567L)), 3)),
      Map.of("lease-2", new Lease("lease-2", "node-b", "key_fedcba9876543210", null, T1, T2,
          ordered(Map.entry(DAY, 100L)), Map.of(), 0)),
      Map.of());

  // ---- written by 0.4.0 ----

  static final LeaseLateSettled LEASE_LATE_SETTLED =
      new LeaseLateSettled("lease-3", 5, new Demand(8_000, 300, 1), new Demand(2_000, 0, 0));

  static final WindowsMoved WINDOWS_MOVED = new WindowsMoved(Map.of(DAY,
      new WindowKey("tenant", LimitKind.USD, Period.DAILY, Instant.parse("2025-01-01T11:00:00Z").toEpochMilli())));

  static final OverdraftSettled OVERDRAFT_SETTLED = new OverdraftSettled("overdraft-1", List.of(DAY),
      new Demand(3_000, 120, 2), Instant.parse("2025-01-01T10:15:00Z"));

  static final State STATE_WITH_TOMBSTONE = new State(LIMITS,
      ordered(Map.entry(DAY, 9_234L)),
      Map.of(),
      Map.of(),
      Map.of("lease-3", new ClosedLease("lease-3", List.of(DAY, MINUTE), T2, new Demand(6_000, 300, 1),
          new Demand(8_000, 450, 2), 5, true)));

  private BudgetGoldenSamples() {}

  @SafeVarargs
  private static Map<WindowKey, Long> ordered(Map.Entry<WindowKey, Long>... entries) {
    Map<WindowKey, Long> map = new LinkedHashMap<>();
    for (Map.Entry<WindowKey, Long> e : entries) {
      map.put(e.getKey(), e.getValue());
    }
    return map;
  }
}
