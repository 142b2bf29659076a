package io.tollgate.node.budget;

import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.budget.SettleAck;
import io.tollgate.persistence.budget.SpendReport;
import io.tollgate.persistence.budget.TenantBudget;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes leases their node never returned. The entity lists expired leases (still holding their
 * unsettled remainder as provisional spend); for each one this node does not hold itself and that
 * has been listed for at least {@code grace} (time for a slow owner's late settlements to land),
 * the reconciler sums the lease's audit records and sends {@code ReconcileLease}, which moves the
 * audited but unsettled spend into the ledger and frees the rest.
 */
public final class LeaseReconciler {
  private static final Logger log = LoggerFactory.getLogger(LeaseReconciler.class);

  private final BudgetEntities entities;
  private final AuditedSpend audit;
  private final LeaseBook book;
  private final Clock clock;
  private final long graceNanos;
  /** tenant + '/' + lease id → when this reconciler first saw it expired. */
  private final ConcurrentHashMap<String, Long> firstSeen = new ConcurrentHashMap<>();

  /**
   * @param book this node's lease book (its own leases are never reconciled here), or null
   * @param grace how long a lease must have been listed as expired before it is reconciled
   */
  public LeaseReconciler(ActorSystem<?> system, AuditedSpend audit, LeaseBook book, Duration grace) {
    this(system, audit, book, grace, LeaseBookSettings.from(system.settings().config()).askTimeout(),
        tenant -> TenantBudget.ref(system, tenant), Clock.systemUTC());
  }

  LeaseReconciler(ActorSystem<?> system, AuditedSpend audit, LeaseBook book, Duration grace, Duration askTimeout,
      Function<String, RecipientRef<TenantBudget.Command>> refs, Clock clock) {
    this.entities = new BudgetEntities(refs, askTimeout, system.scheduler());
    this.audit = audit;
    this.book = book;
    this.clock = clock;
    this.graceNanos = grace.toNanos();
  }

  /** Reconciles the tenants {@code tenants} supplies every {@code every}; cancel the result to stop. */
  public Cancellable schedule(ActorSystem<?> system, Duration every, Supplier<Collection<String>> tenants) {
    return system.scheduler().scheduleWithFixedDelay(every, every, () -> {
      for (String tenant : tenants.get()) {
        reconcile(tenant).whenComplete((n, e) -> {
          if (e != null) {
            log.debug("reconciling leases of tenant {}: {}", tenant, e.getClass().getSimpleName());
          }
        });
      }
    }, system.executionContext());
  }

  /** Reconciles the tenant's expired leases that are due; completes with how many were reconciled. */
  public CompletionStage<Integer> reconcile(String tenantId) {
    return entities.<SpendReport>ask(tenantId, reply -> new TenantBudget.GetSpend(clock.instant(), reply))
        .thenCompose(report -> reconcileDue(tenantId, report.expiredLeaseIds()));
  }

  private CompletionStage<Integer> reconcileDue(String tenantId, List<String> expired) {
    long now = System.nanoTime();
    String prefix = tenantId + "/";
    Set<String> listed = new HashSet<>();
    List<String> due = new ArrayList<>();
    for (String leaseId : expired) {
      listed.add(prefix + leaseId);
      long seen = firstSeen.computeIfAbsent(prefix + leaseId, k -> now);
      if (now - seen >= graceNanos && (book == null || !book.holds(leaseId))) {
        due.add(leaseId);
      }
    }
    firstSeen.keySet().removeIf(k -> k.startsWith(prefix) && !listed.contains(k));
    List<CompletableFuture<Boolean>> done = new ArrayList<>(due.size());
    for (String leaseId : due) {
      done.add(audit.spentUnder(tenantId, leaseId)
          .thenCompose(spent -> entities.<SettleAck>ask(tenantId,
              reply -> new TenantBudget.ReconcileLease(leaseId, nonNegative(spent), reply)))
          .thenApply(ack -> {
            firstSeen.remove(prefix + leaseId);
            return true;
          })
          .exceptionally(e -> {
            log.debug("lease {} of tenant {} not reconciled yet: {}", leaseId, tenantId, e.getClass().getSimpleName());
            return false;
          })
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
        .thenApply(v -> (int) done.stream().filter(CompletableFuture::join).count());
  }

  private static Demand nonNegative(Demand d) {
    return new Demand(Math.max(0, d.usdMicros()), Math.max(0, d.tokens()), Math.max(0, d.requests()));
  }
}
