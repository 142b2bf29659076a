package io.tollgate.node.budget;

import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.budget.FailMode;
import io.tollgate.persistence.budget.LeaseGrant;
import io.tollgate.persistence.budget.LeaseOwners;
import io.tollgate.persistence.budget.TenantBudget;
import io.tollgate.persistence.budget.TenantLimits;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.time.ZoneId;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's admission control for budgets and rate limits. Per key it holds a lease from the
 * tenant's {@link TenantBudget} entity and admits requests from it in memory: a request the lease
 * covers is admitted without any message (a short {@code synchronized} section on the key). A
 * request it does not cover asks for a new lease, once per key at a time (the others wait for that
 * answer, then try again). The entity sizes leases so that their sum never passes a limit; so
 * admission here is exact as long as every admission is settled.
 *
 * <p>When the entity does not answer within {@code tollgate.budget.ask-timeout}, the request fails
 * closed (503 BUDGET_UNAVAILABLE), unless the tenant's limits (as last read, re-read every
 * {@code limits-refresh}) say fail-mode OPEN: then it is admitted within the tenant's overdraft on
 * this node (its share of the overdraft per day, and of each per-minute limit: see {@link Overdraft}),
 * and its usage is settled on the key's next lease. A tenant without any limits is
 * admitted without leases at all once its (empty) limits have been read; limits set later apply
 * within {@code limits-refresh}.
 */
public final class LeaseBook {
  private static final Logger log = LoggerFactory.getLogger(LeaseBook.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final int SHUTDOWN_ROUNDS = 3;

  private final LeaseBookSettings settings;
  private final BudgetEntities entities;
  private final Clock clock;
  private final String nodeId;
  private final ConcurrentHashMap<String, TenantView> tenants = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<KeyRef, KeyLease> keys = new ConcurrentHashMap<>();
  private final Set<String> liveLeases = ConcurrentHashMap.newKeySet();
  private final Settler settler;
  private final AtomicLong leaseAsks = new AtomicLong();
  /** Nodes in the cluster: each may admit its share of a fail-open tenant's overdraft. */
  private final IntSupplier nodes;
  private volatile Cancellable ticks;

  private record KeyRef(String tenantId, String keyId, String team) {}

  private LeaseBook(LeaseBookSettings settings, BudgetEntities entities, Clock clock, String nodeId, IntSupplier nodes) {
    this.nodes = nodes;
    this.settings = settings;
    this.entities = entities;
    this.clock = clock;
    this.nodeId = nodeId;
    this.settler = new Settler(entities, settings, clock, liveLeases);
  }

  /** The node's lease book with {@code tollgate.budget.*} settings; {@link TenantBudget#init} must run on the cluster. */
  public static LeaseBook create(ActorSystem<?> system) {
    return create(system, LeaseBookSettings.from(system.settings().config()));
  }

  /**
   * The node's lease book: starts the settlement timer and registers a CoordinatedShutdown task
   * (phase before-cluster-shutdown) that settles and closes every lease. Every ask goes to the
   * tenant's entity in its home region ({@link TenantBudget#ref}), across regions when that is
   * another one; a lease outlives a move of the home (the new home recovers it from the journal),
   * so nothing here is dropped when a home moves.
   */
  public static LeaseBook create(ActorSystem<?> system, LeaseBookSettings settings) {
    return create(system, settings, tenant -> TenantBudget.ref(system, tenant), Clock.systemUTC());
  }

  /** With another way to reach the entities (tests: a stand-in that never answers) and another clock. */
  static LeaseBook create(ActorSystem<?> system, LeaseBookSettings settings,
      Function<String, RecipientRef<TenantBudget.Command>> entities, Clock clock) {
    String nodeId = LeaseOwners.idOf(Cluster.get(system).selfMember().uniqueAddress());
    Cluster cluster = Cluster.get(system);
    LeaseBook book = new LeaseBook(settings, new BudgetEntities(entities, settings.askTimeout(), system.scheduler()),
        clock, nodeId, () -> upMembers(cluster));
    book.ticks = system.scheduler().scheduleWithFixedDelay(settings.settleInterval(), settings.settleInterval(),
        book::tick, system.executionContext());
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeClusterShutdown(),
        "tollgate-budget-close-leases-" + INSTANCES.incrementAndGet(), book::closeAll);
    return book;
  }

  /**
   * Admits a request by {@code keyId} (of {@code team}, nullable) of {@code tenantId} that may cost
   * up to {@code demand}. Completes at once when the key's lease covers it; otherwise after one
   * lease request. Fails with a {@link BudgetRejection}: BUDGET_EXCEEDED or RATE_LIMITED (429, with
   * retry-after where waiting helps), or BUDGET_UNAVAILABLE (503).
   */
  public CompletionStage<Admission> admit(String tenantId, String keyId, String team, Demand demand) {
    if (demand.anyNegative()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("a demand is never negative"));
    }
    long nowNanos = System.nanoTime();
    TenantView tenant = tenants.computeIfAbsent(tenantId, id -> new TenantView(id, nowNanos));
    readLimitsIfDue(tenant, nowNanos);
    if (tenant.unlimited()) {
      return CompletableFuture.completedFuture(Admission.unlimited(demand, clock.instant()));
    }
    return admitOnKey(tenant, new KeyRef(tenantId, keyId, team == null || team.isEmpty() ? null : team), demand);
  }

  private static int upMembers(Cluster cluster) {
    int up = 0;
    for (Member m : cluster.state().getMembers()) {
      if (m.status() == MemberStatus.up() || m.status() == MemberStatus.weaklyUp()) {
        up++;
      }
    }
    return Math.max(1, up);
  }

  /**
   * Settles a finished admitted request with its actual usage (for USD exactly the audit record's
   * {@code cost_micros}; see {@link DemandEstimator#actual}). Returns what it did not use to the
   * lease at once; the usage reaches the entity with the lease's next batch. Never blocks.
   */
  public void settle(Admission admission, Demand actual) {
    if (!admission.markSettled() || admission.key == null) {
      return;
    }
    Demand used = new Demand(Math.max(0, actual.usdMicros()), Math.max(0, actual.tokens()),
        Math.max(0, actual.requests()));
    TenantLimits limits = admission.key.tenant.limits();
    if (admission.overdraft() && limits != null) {
      admission.key.tenant.overdraft.release(admission.reserved().usdMicros() - used.usdMicros(), clock.instant(),
          ZoneId.of(limits.zoneId()));
    }
    admission.key.settled(admission, used, System.nanoTime());
  }

  /** The {@code x-ratelimit-*} headers for a response to an admitted request (empty without such limits). */
  public List<HttpHeader> headers(Admission admission) {
    // The admission's time is the entity's, which the windows' resets are in.
    return RateLimitHeaders.of(admission.status(), admission.leaseRemaining(), admission.admittedAt());
  }

  /**
   * Shutdown: stops the settlement timer, then settles and closes every lease (a few rounds, each
   * ask with its timeout); a lease with requests still in flight is settled but stays until it
   * expires. The CoordinatedShutdown task registered by {@link #create} calls this.
   */
  public CompletionStage<Done> closeAll() {
    Cancellable t = ticks;
    if (t != null) {
      t.cancel();
    }
    Collection<KeyLease> all = List.copyOf(keys.values());
    List<CompletableFuture<Void>> overdrafts = new ArrayList<>();
    for (KeyLease k : all) {
      overdrafts.add(settler.sendOverdrafts(k, true).toCompletableFuture());
    }
    return CompletableFuture.allOf(overdrafts.toArray(CompletableFuture[]::new))
        .handle((v, e) -> null)
        .thenCompose(v -> settler.closeAll(all, SHUTDOWN_ROUNDS))
        .handle((v, e) -> {
          if (e != null) {
            log.warn("closing budget leases at shutdown: {}", e.getClass().getSimpleName());
          }
          return Done.getInstance();
        });
  }

  /** Settlements acked as late (the lease had been closed) since the previous call. */
  public long takeLateSettlements() {
    return settler.takeLate();
  }

  /** Tenants this node has admitted requests for. */
  public Set<String> tenants() {
    return Set.copyOf(tenants.keySet());
  }

  /** Whether this node holds the lease (open, or closing) with that id. */
  /** How many leases this node holds now. */
  public int leaseCount() {
    return liveLeases.size();
  }

  public boolean holds(String leaseId) {
    return liveLeases.contains(leaseId);
  }

  /** Lease requests sent so far (tests). */
  long leaseAsks() {
    return leaseAsks.get();
  }

  /** Entity asks of every kind sent so far (tests). */
  long asks() {
    return entities.asks();
  }

  /** Reads the tenant's limits now (tests; normally read in the background when due). */
  CompletionStage<TenantLimits> readLimits(String tenantId) {
    TenantView tenant = tenants.computeIfAbsent(tenantId, id -> new TenantView(id, System.nanoTime()));
    return entities.<TenantLimits>ask(tenantId, TenantBudget.GetLimits::new)
        .whenComplete((limits, failure) -> tenant.readDone(limits, System.nanoTime() + nextReadDelay(failure)));
  }

  private void readLimitsIfDue(TenantView tenant, long nowNanos) {
    if (!tenant.claimRead(nowNanos)) {
      return;
    }
    entities.<TenantLimits>ask(tenant.tenantId, TenantBudget.GetLimits::new)
        .whenComplete((limits, failure) -> tenant.readDone(limits, System.nanoTime() + nextReadDelay(failure)));
  }

  private long nextReadDelay(Throwable failure) {
    long refresh = settings.limitsRefresh().toNanos();
    // After a failed read, try again soon (but not on every request).
    return failure == null ? refresh : Math.min(refresh, settings.askTimeout().toNanos());
  }

  private CompletionStage<Admission> admitOnKey(TenantView tenant, KeyRef ref, Demand demand) {
    while (true) {
      KeyLease k = keys.computeIfAbsent(ref,
          r -> new KeyLease(r.tenantId(), r.keyId(), r.team(), tenant, System.nanoTime()));
      KeyLease.Attempt attempt = k.admitOrAcquire(demand, System.nanoTime(), settings);
      if (attempt.removed()) {
        keys.remove(ref, k);
        continue;
      }
      if (attempt.admitted() != null) {
        return CompletableFuture.completedFuture(attempt.admitted());
      }
      if (attempt.start() != null) {
        Acquisition acq = attempt.start();
        return acquire(k, acq).thenCompose(o -> starterOutcome(tenant, k, acq, demand, o));
      }
      Acquisition acq = attempt.join();
      return acq.result.thenCompose(o -> joinerOutcome(tenant, ref, k, acq, demand, o));
    }
  }

  private CompletionStage<Admission> starterOutcome(
      TenantView tenant, KeyLease k, Acquisition acq, Demand demand, Acquisition.Outcome o) {
    if (o.isGranted()) {
      return CompletableFuture.completedFuture(o.admission());
    }
    if (o.refusal() != null) {
      return CompletableFuture.failedFuture(BudgetErrors.refused(o.refusal(), demand, acq.entityNow(o.refusal(), clock)));
    }
    return failOpenOrClosed(tenant, k, demand);
  }

  private CompletionStage<Admission> joinerOutcome(
      TenantView tenant, KeyRef ref, KeyLease k, Acquisition acq, Demand demand, Acquisition.Outcome o) {
    if (o.failure() != null) {
      return failOpenOrClosed(tenant, k, demand);
    }
    if (o.refusal() != null && demand.covers(acq.atLeast)) {
      // Refused for a request no bigger than this one: this one would be refused too.
      return CompletableFuture.failedFuture(BudgetErrors.refused(o.refusal(), demand, acq.entityNow(o.refusal(), clock)));
    }
    return admitOnKey(tenant, ref, demand);
  }

  /** Returns the key's retired leases, then asks for a new lease and installs it. */
  private CompletionStage<Acquisition.Outcome> acquire(KeyLease k, Acquisition acq) {
    settler.returnRetired(k)
        .handle((v, e) -> null)
        .thenCompose(v -> {
          Instant now = clock.instant();
          acq.sentAt = now;
          acq.sentNanos = System.nanoTime();
          leaseAsks.incrementAndGet();
          // The leases this node holds for the key: the entity releases any other of this node and key
          // (granted while an earlier request timed out, so never installed here).
          List<String> held = k.heldLeaseIds();
          return entities.<LeaseGrant>ask(k.tenantId, reply -> new TenantBudget.AcquireLease(
              nodeId, k.keyId, k.team, acq.want, acq.atLeast, now, held, reply));
        })
        .whenComplete((grant, failure) -> {
          try {
            acq.result.complete(outcome(k, acq, grant, failure));
          } catch (RuntimeException e) {
            // Never leave the requests waiting on this lease request hanging.
            k.acquisitionEnded(acq);
            log.error("installing a lease for tenant {} key {} failed: {}", k.tenantId, k.keyId, e.toString());
            acq.result.complete(Acquisition.Outcome.unreachable(e));
          }
        });
    return acq.result;
  }

  private Acquisition.Outcome outcome(KeyLease k, Acquisition acq, LeaseGrant grant, Throwable failure) {
    if (failure != null) {
      k.acquisitionEnded(acq);
      k.mayHoldUnknownLease();
      log.debug("no lease for tenant {} key {}: {}", k.tenantId, k.keyId, failure.getClass().getSimpleName());
      return Acquisition.Outcome.unreachable(failure);
    }
    if (!grant.granted()) {
      k.acquisitionEnded(acq);
      return Acquisition.Outcome.refused(grant);
    }
    if (!grant.leaseId().startsWith(TenantBudget.UNLIMITED_LEASE_PREFIX)) {
      liveLeases.add(grant.leaseId());
    }
    return Acquisition.Outcome.granted(k.granted(acq, grant, System.nanoTime()));
  }

  /** Asks the entity to release leases of this node and key it granted but this node never got. */
  private void releaseUnheld(KeyLease k, long generation) {
    List<String> held = k.heldLeaseIds();
    entities.<Integer>ask(k.tenantId, reply -> new TenantBudget.ReleaseUnheld(nodeId, k.keyId, k.team, held, reply))
        .whenComplete((released, failure) -> k.unheldChecked(generation, failure == null));
  }

  private CompletionStage<Admission> failOpenOrClosed(TenantView tenant, KeyLease k, Demand demand) {
    Instant now = clock.instant();
    TenantLimits limits = tenant.limits();
    if (limits == null || limits.failMode() != FailMode.OPEN) {
      return CompletableFuture.failedFuture(BudgetErrors.unavailable(now));
    }
    if (!tenant.overdraft.tryAdmit(limits, k.keyId, k.team, demand, nodes.getAsInt(), now)) {
      return CompletableFuture.failedFuture(BudgetErrors.overdraftExhausted(now));
    }
    KeyLease key = k;
    OverdraftBatch batch;
    while ((batch = key.admitOverdraft(System.nanoTime(), now)) == null) {
      // The key was dropped as idle meanwhile: its usage must land on the one that replaces it.
      KeyRef ref = new KeyRef(k.tenantId, k.keyId, k.team);
      key = keys.computeIfAbsent(ref, r -> new KeyLease(r.tenantId(), r.keyId(), r.team(), tenant, System.nanoTime()));
    }
    return CompletableFuture.completedFuture(Admission.overdraft(key, batch, demand, now));
  }

  private void tick() {
    try {
      settler.tick(keys.values());
      long nowNanos = System.nanoTime();
      long idle = settings.idleReturn().toNanos();
      for (var e : keys.entrySet()) {
        KeyLease k = e.getValue();
        settler.sendOverdrafts(k, false);
        long unheldCheck = k.unheldCheckDue();
        if (unheldCheck > 0) {
          releaseUnheld(k, unheldCheck);
        } else if (k.removeIfIdle(nowNanos, idle)) {
          keys.remove(e.getKey(), k);
        }
      }
    } catch (RuntimeException e) {
      log.error("budget settlement pass failed: {}", e.toString());
    }
  }
}
