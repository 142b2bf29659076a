package io.tollgate.persistence.budget;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What is left in a window: {@code limit − spent − held}, where {@code spent} is the settled
 * ledger and {@code held} is what open leases have not settled yet plus the unsettled part of
 * expired leases (provisional spend until reconciled).
 */
public final class Availability {
  private Availability() {}

  /** Capacity held in {@code window} by {@code leases}. */
  public static long held(WindowKey window, Collection<Lease> leases) {
    long held = 0;
    for (Lease lease : leases) {
      held = saturatedAdd(held, lease.held(window));
    }
    return held;
  }

  /** {@code limit − spent − held}; negative when actual usage went past the limit. */
  public static long available(long limit, long spent, long held) {
    return limit - spent - held;
  }

  /** What is left in {@code window} of a limit of {@code amount}. */
  public static long available(long amount, WindowKey window, Map<WindowKey, Long> spent, Collection<Lease> leases) {
    return available(amount, spent.getOrDefault(window, 0L), held(window, leases));
  }

  /** The limits that apply to a request by {@code keyId} of {@code team} (nullable). */
  public static List<Limit> applicable(List<Limit> limits, String keyId, String team) {
    List<String> scopes = Scope.of(keyId, team);
    return limits.stream().filter(l -> scopes.contains(l.scope())).toList();
  }

  static long saturatedAdd(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      return a > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return r;
  }
}
