package io.tollgate.node.budget;

import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.budget.LeaseGrant;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * One lease request in flight for a key. Requests that miss while it runs wait for it instead of
 * asking again (single flight), then try the new lease.
 */
final class Acquisition {
  /** The demand of the request that started it; null when started only to settle overdraft spend. */
  final Demand demand;
  final Demand want;
  final Demand atLeast;
  final CompletableFuture<Outcome> result = new CompletableFuture<>();
  /** The time sent with the request (the lease's grant time on the entity). */
  volatile Instant sentAt;
  /** This node's monotonic time when the request was sent: the grant's time maps to it. */
  volatile long sentNanos;

  /** The entity's time now, from its answer's time plus this node's monotonic time since the request. */
  Instant entityNow(LeaseGrant answer, Clock fallback) {
    if (answer.grantedAt() == null) {
      return fallback.instant();
    }
    return answer.grantedAt().plusMillis(Math.max(0, (System.nanoTime() - sentNanos) / 1_000_000L));
  }

  Acquisition(Demand demand, Demand want) {
    this.demand = demand;
    this.atLeast = demand == null ? Demand.ZERO : demand;
    this.want = want;
  }

  /**
   * How it ended: granted (with the starter's admission, null when it had no request), refused by
   * the entity (the grant carries the reason), or the entity could not be reached.
   */
  record Outcome(Admission admission, LeaseGrant refusal, Throwable failure) {
    static Outcome granted(Admission admission) {
      return new Outcome(admission, null, null);
    }

    static Outcome refused(LeaseGrant refusal) {
      return new Outcome(null, refusal, null);
    }

    static Outcome unreachable(Throwable failure) {
      return new Outcome(null, null, failure);
    }

    boolean isGranted() {
      return refusal == null && failure == null;
    }
  }
}
