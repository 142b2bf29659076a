package io.tollgate.persistence.budget;

import io.tollgate.persistence.CborSerializable;
import io.tollgate.persistence.region.HomedEntity;
import io.tollgate.persistence.region.RegionalSharding;
import io.tollgate.persistence.region.TenantHomes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * The exact budgets and rate limits of one tenant (entity id = tenant id): its limits, the ledger
 * of settled spend per window, and the leases nodes admit requests from.
 *
 * <p>Nodes never ask this entity per request: they acquire a lease (a slice of what is left in
 * every window that applies to a key), admit from it in memory, settle actual usage in batches and
 * close it to return the rest. Leases shrink to one request's worst case as a limit nears
 * ({@link LeaseSizing}).
 *
 * <p>Exactness: capacity only leaves {@code available} through a persisted {@link LeaseGranted}
 * that never grants more than is available, and it only returns through persisted settlements
 * ({@link LeaseSettled}, {@link LeaseReconciled}); an expired lease keeps its unsettled remainder
 * as provisional spend until reconciled. So in every window, settled spend plus open holds never
 * exceeds the limit (as long as actual usage stays within what was reserved). A refused request
 * persists nothing. Everything is in events, so rebalancing or restarting the entity loses nothing;
 * the expiry timer is armed again on start.
 *
 * <p>Tenants without limits for a key get an untracked lease (id prefix
 * {@value #UNLIMITED_LEASE_PREFIX}, amounts {@link Long#MAX_VALUE}) and nothing is persisted for
 * it; limits set later apply from the node's next lease.
 */
public final class TenantBudget
    extends EventSourcedBehaviorWithEnforcedReplies<TenantBudget.Command, TenantBudget.Event, TenantBudget.State> {

  /** Frozen: the name is part of every persisted id. */
  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "TenantBudget");
  /** Ids of leases granted where no limit applies; they are not tracked. */
  public static final String UNLIMITED_LEASE_PREFIX = "unlimited-";
  /** Ids of overdraft batches (calls a node admitted while the entity could not be reached). */
  public static final String OVERDRAFT_LEASE_PREFIX = "overdraft-";

  private static final int SNAPSHOT_EVERY = 100;
  private static final Demand UNLIMITED = new Demand(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);

  // ---- commands ----

  /** Messages the entity accepts. */
  public sealed interface Command extends CborSerializable
      permits SetLimits, GetLimits, AcquireLease, ReleaseUnheld, Settle, SettleOverdraft, ExpireLeases, ReconcileLease, GetSpend,
          ExpiryTick, LeaseAuditRead, OverdraftsRead, OverdraftAuditRead {}

  /** Replace the tenant's limits; invalid limits are refused with an error reply. */
  public record SetLimits(TenantLimits limits, ActorRef<StatusReply<TenantLimits>> replyTo) implements Command {}

  /** The tenant's limits ({@link TenantLimits#NONE} until set). */
  public record GetLimits(ActorRef<StatusReply<TenantLimits>> replyTo) implements Command {}

  /**
   * A lease for requests by {@code keyId} of {@code team} (nullable) on {@code nodeId}, in the
   * windows containing {@code now}. A refusal is a successful reply with {@code granted == false}.
   * {@code held} lists the leases the node holds for that key (null: not told); any other lease of
   * that node and key was granted but never reached it (its answer was lost) and is released.
   */
  public record AcquireLease(
      String nodeId,
      String keyId,
      String team,
      Demand want,
      Demand atLeast,
      Instant now,
      List<String> held,
      ActorRef<StatusReply<LeaseGrant>> replyTo)
      implements Command {

    public AcquireLease(String nodeId, String keyId, String team, Demand want, Demand atLeast, Instant now,
        ActorRef<StatusReply<LeaseGrant>> replyTo) {
      this(nodeId, keyId, team, want, atLeast, now, null, replyTo);
    }
  }

  /**
   * Releases the leases of {@code nodeId} and {@code keyId} (of {@code team}) other than {@code held}:
   * sent by a node whose lease request timed out and that has not asked again since. Answers how
   * many were released.
   */
  public record ReleaseUnheld(
      String nodeId, String keyId, String team, List<String> held, ActorRef<StatusReply<Integer>> replyTo)
      implements Command {}

  /**
   * Usage since the previous settlement of a lease ({@code seq} increases per lease; a repeated
   * seq is acked and ignored). {@code close} returns the rest; otherwise the lease is renewed.
   */
  public record Settle(
      String leaseId, long seq, Demand spent, boolean close, Instant now, ActorRef<StatusReply<SettleAck>> replyTo)
      implements Command {}

  /**
   * Usage a node admitted under a fail-open tenant's overdraft while this entity could not be
   * reached: one batch ({@code overdraftId}, the lease id its calls' audit records carry, which
   * starts with {@link #OVERDRAFT_LEASE_PREFIX}) admitted at {@code admittedAt}. Counted into the
   * windows containing that time, once (a repeated id is acked and ignored while its tombstone lasts).
   */
  public record SettleOverdraft(String overdraftId, String keyId, String team, Instant admittedAt, Demand spent,
      ActorRef<StatusReply<SettleAck>> replyTo)
      implements Command {}

  /**
   * Expire open leases past their expiry or whose node is gone, and close the leases of nodes gone
   * for longer than the reconcile grace from their audit ({@code now} is the entity's time here).
   */
  public record ExpireLeases(Instant now) implements Command {}

  /**
   * Close an expired lease of a node that is gone with the spend its audit records show; refused
   * while the node is still a member (its own settlements will come).
   */
  public record ReconcileLease(String leaseId, Demand auditedSpent, ActorRef<StatusReply<SettleAck>> replyTo)
      implements Command {}

  /** The entity's own read of a gone node's lease audit ended ({@code spent} null when it failed). */
  record LeaseAuditRead(String leaseId, Demand spent) implements Command {}

  /** The entity's own read of the tenant's unsettled overdraft batches ended (empty when it failed). */
  record OverdraftsRead(List<OverdraftBatchRow> batches) implements Command {}

  /** The entity's own read of a gone node's overdraft batch ended ({@code spent} null when it failed). */
  record OverdraftAuditRead(OverdraftBatchRow batch, Demand spent) implements Command {}

  /** Spend per limit in the windows containing {@code now}. */
  public record GetSpend(Instant now, ActorRef<StatusReply<SpendReport>> replyTo) implements Command {}

  /** The expiry timer: {@link ExpireLeases} at the entity's clock. */
  public enum ExpiryTick implements Command {
    INSTANCE
  }

  // ---- events (a frozen schema: see the golden-bytes test) ----

  /** What the journal holds. */
  public sealed interface Event extends CborSerializable
      permits LimitsSet, LeaseGranted, LeaseSettled, LeaseExpired, LeaseReconciled, LeaseLateSettled, WindowsMoved,
          OverdraftSettled {}

  public record LimitsSet(TenantLimits limits) implements Event {}

  /** A lease holding {@code granted} in each of its windows. */
  public record LeaseGranted(
      String leaseId,
      String nodeId,
      String keyId,
      String team,
      Instant grantedAt,
      Instant expiresAt,
      Map<WindowKey, Long> granted)
      implements Event {}

  /**
   * Spend of a lease moved into the ledger; with {@code close} the lease is gone, otherwise an open
   * lease now expires at {@code expiresAt} (null when unchanged).
   */
  public record LeaseSettled(String leaseId, long seq, Demand spent, boolean close, Instant expiresAt)
      implements Event {}

  /** An open lease passed its expiry: its unsettled remainder stays held until reconciled. */
  public record LeaseExpired(String leaseId) implements Event {}

  /** An expired lease closed: {@code extra} (audited minus settled) moved into the ledger. */
  public record LeaseReconciled(String leaseId, Demand extra) implements Event {}

  /**
   * A settlement of a lease already closed (its node was thought gone): {@code excess}, the part of
   * {@code spent} the closing did not already count, moved into the lease's windows.
   */
  public record LeaseLateSettled(String leaseId, long seq, Demand spent, Demand excess) implements Event {}

  /** The time zone changed: each current daily/monthly window continues under its new-zone name. */
  public record WindowsMoved(Map<WindowKey, WindowKey> moves) implements Event {}

  /**
   * An overdraft batch counted into {@code windows} (those containing its admission time);
   * {@code settledAt} (the entity's time) dates its tombstone.
   */
  public record OverdraftSettled(String overdraftId, List<WindowKey> windows, Demand spent, Instant settledAt)
      implements Event {}

  // ---- state ----

  /**
   * The limits, the ledger of settled spend per window, the open leases, the expired leases still
   * holding their unsettled remainder, and tombstones of recently closed leases.
   */
  public record State(
      TenantLimits limits,
      Map<WindowKey, Long> spent,
      Map<String, Lease> leases,
      Map<String, Lease> expired,
      Map<String, ClosedLease> closed)
      implements CborSerializable {

    /** Windows kept per limit series in the ledger (the current one and the one before). */
    static final int WINDOWS_KEPT = 2;
    /**
     * Tombstones of leases closed from their audit are kept this long after their lease's expiry
     * (their node may come back and settle); of leases their node closed, only long enough to
     * recognise a repeated closing settlement. At most {@link #TOMBSTONES_KEPT} (the newest).
     */
    static final Duration RECONCILED_RETENTION = Duration.ofHours(1);
    static final Duration CLOSED_RETENTION = Duration.ofMinutes(2);
    static final int TOMBSTONES_KEPT = 500;

    public State {
      limits = limits == null ? TenantLimits.NONE : limits;
      spent = spent == null ? Map.of() : Map.copyOf(spent);
      leases = leases == null ? Map.of() : Map.copyOf(leases);
      expired = expired == null ? Map.of() : Map.copyOf(expired);
      closed = closed == null ? Map.of() : Map.copyOf(closed);
    }

    public static State empty() {
      return new State(TenantLimits.NONE, Map.of(), Map.of(), Map.of(), Map.of());
    }

    ZoneId zone() {
      return ZoneId.of(limits.zoneId());
    }

    /** Open and expired leases: both hold capacity. */
    Collection<Lease> holdingLeases() {
      List<Lease> all = new ArrayList<>(leases.size() + expired.size());
      all.addAll(leases.values());
      all.addAll(expired.values());
      return all;
    }

    /** The open or expired lease with that id, or null. */
    Lease holding(String leaseId) {
      Lease open = leases.get(leaseId);
      return open != null ? open : expired.get(leaseId);
    }

    long spentIn(WindowKey window) {
      return spent.getOrDefault(window, 0L);
    }

    long available(Limit limit, WindowKey window) {
      return Availability.available(limit.amount(), window, spent, holdingLeases());
    }

    State limitsSet(LimitsSet e) {
      // The ledger keeps every series: a limit removed and added again continues from its spend.
      return new State(e.limits(), spent, leases, expired, closed);
    }

    State granted(LeaseGranted e) {
      Map<String, Lease> next = new HashMap<>(leases);
      next.put(e.leaseId(), new Lease(e.leaseId(), e.nodeId(), e.keyId(), e.team(), e.grantedAt(), e.expiresAt(),
          e.granted(), Map.of(), 0));
      return new State(limits, spent, next, expired, closed);
    }

    State expired(LeaseExpired e) {
      Lease lease = leases.get(e.leaseId());
      if (lease == null) {
        return this;
      }
      Map<String, Lease> open = new HashMap<>(leases);
      open.remove(e.leaseId());
      Map<String, Lease> gone = new HashMap<>(expired);
      gone.put(e.leaseId(), lease);
      return new State(limits, spent, open, gone, closed);
    }

    State settled(LeaseSettled e) {
      Lease lease = holding(e.leaseId());
      if (lease == null) {
        return this;
      }
      Map<WindowKey, Long> ledger = new HashMap<>(spent);
      addSpend(ledger, lease.granted().keySet(), e.spent());
      Lease after = lease.settle(e.seq(), e.spent());
      Map<String, Lease> nextOpen = new HashMap<>(leases);
      Map<String, Lease> nextExpired = new HashMap<>(expired);
      if (e.close()) {
        nextOpen.remove(e.leaseId());
        nextExpired.remove(e.leaseId());
        return new State(limits, ledger, nextOpen, nextExpired, withTombstone(after.closedByNode()));
      }
      if (leases.containsKey(e.leaseId())) {
        nextOpen.put(e.leaseId(), e.expiresAt() == null ? after : after.withExpiresAt(e.expiresAt()));
      } else {
        nextExpired.put(e.leaseId(), after);
      }
      return new State(limits, ledger, nextOpen, nextExpired, closed);
    }

    State reconciled(LeaseReconciled e) {
      Lease lease = holding(e.leaseId());
      if (lease == null) {
        return this;
      }
      Map<WindowKey, Long> ledger = new HashMap<>(spent);
      addSpend(ledger, lease.granted().keySet(), e.extra());
      Map<String, Lease> nextOpen = new HashMap<>(leases);
      Map<String, Lease> nextExpired = new HashMap<>(expired);
      nextOpen.remove(e.leaseId());
      nextExpired.remove(e.leaseId());
      return new State(limits, ledger, nextOpen, nextExpired, withTombstone(lease.closedFromAudit(e.extra())));
    }

    State lateSettled(LeaseLateSettled e) {
      ClosedLease tomb = closed.get(e.leaseId());
      if (tomb == null) {
        return this;
      }
      Map<WindowKey, Long> ledger = new HashMap<>(spent);
      addSpend(ledger, tomb.windows(), e.excess());
      Map<String, ClosedLease> tombs = new HashMap<>(closed);
      tombs.put(e.leaseId(), tomb.lateSettled(e.seq(), e.spent(), e.excess()));
      return new State(limits, ledger, leases, expired, tombs);
    }

    State overdraftSettled(OverdraftSettled e) {
      Map<WindowKey, Long> ledger = new HashMap<>(spent);
      addSpend(ledger, e.windows(), e.spent());
      // Kept only to recognise a repeated batch (its node retries within seconds): the short retention.
      ClosedLease tomb = new ClosedLease(e.overdraftId(), e.windows(), e.settledAt(), e.spent(), e.spent(), 1, false);
      return new State(limits, ledger, leases, expired, withTombstone(tomb));
    }

    State windowsMoved(WindowsMoved e) {
      Map<WindowKey, WindowKey> moves = e.moves();
      Map<String, Lease> open = new HashMap<>();
      leases.forEach((id, l) -> open.put(id, l.withWindowsMoved(moves)));
      Map<String, Lease> gone = new HashMap<>();
      expired.forEach((id, l) -> gone.put(id, l.withWindowsMoved(moves)));
      Map<String, ClosedLease> tombs = new HashMap<>();
      closed.forEach((id, t) -> tombs.put(id, t.withWindowsMoved(moves)));
      return new State(limits, WindowMoves.rekey(spent, moves), open, gone, tombs);
    }

    /** The tombstones with {@code tomb} added, the old ones dropped (older than the retention, beyond the cap). */
    private Map<String, ClosedLease> withTombstone(ClosedLease tomb) {
      Instant newest = tomb.expiresAt();
      List<ClosedLease> kept = new ArrayList<>(closed.size() + 1);
      for (ClosedLease c : closed.values()) {
        Duration retention = c.reconciled() ? RECONCILED_RETENTION : CLOSED_RETENTION;
        if (!c.expiresAt().plus(retention).isBefore(newest)) {
          kept.add(c);
        }
      }
      kept.add(tomb);
      if (kept.size() > TOMBSTONES_KEPT) {
        // Over the cap, leases closed from their audit are kept first: their node may still settle late.
        kept.sort(Comparator.comparing(ClosedLease::reconciled).thenComparing(ClosedLease::expiresAt)
            .thenComparing(ClosedLease::leaseId).reversed());
        kept = kept.subList(0, TOMBSTONES_KEPT);
      }
      Map<String, ClosedLease> next = new HashMap<>();
      kept.forEach(c -> next.put(c.leaseId(), c));
      return next;
    }

    /**
     * Adds {@code amount} to each window (its kind's dimension), keeping the last
     * {@value #WINDOWS_KEPT} windows of each series.
     */
    private static void addSpend(Map<WindowKey, Long> ledger, Collection<WindowKey> windows, Demand amount) {
      for (WindowKey window : windows) {
        long v = window.kind().of(amount);
        if (v == 0) {
          continue;
        }
        ledger.merge(window, v, Availability::saturatedAdd);
        List<WindowKey> series = ledger.keySet().stream()
            .filter(window::sameSeries)
            .sorted(Comparator.comparingLong(WindowKey::windowStartEpochMillis).reversed())
            .toList();
        for (int i = WINDOWS_KEPT; i < series.size(); i++) {
          ledger.remove(series.get(i));
        }
      }
    }
  }

  // ---- wiring ----

  /**
   * Starts sharding for the budget entities on this node, with {@code tollgate.budget} settings.
   * With several regions an entity runs only in its tenant's home region (behind a guard that
   * forwards whatever reaches another region); the persistence id has no region in it, so a moved
   * home recovers the same journal. See {@link RegionalSharding#initHomed}. The leases of nodes
   * that left the cluster are closed from {@code audit}.
   */
  public static void init(ActorSystem<?> system, LeaseAudit audit) {
    BudgetSettings settings = BudgetSettings.fromConfig(system.settings().config());
    RegionalSharding.initHomed(system, new HomedEntity<>(ENTITY_KEY, Command.class,
        ctx -> create(ctx.getEntityId(), settings, Clock.systemUTC(),
            LeaseOwners.presentFor(system, ctx.getEntityId()), audit),
        replyTo -> new GetLimits(replyTo.narrow())));
  }

  /** As {@link #init(ActorSystem, LeaseAudit)} without an audit: gone nodes' leases stay held. */
  public static void init(ActorSystem<?> system) {
    init(system, LeaseAudit.UNAVAILABLE);
  }

  /** The budget entity of {@code tenantId}, in the tenant's home region; {@link #init} must have run. */
  public static EntityRef<Command> ref(ActorSystem<?> system, String tenantId) {
    return TenantHomes.get(system).refFor(ENTITY_KEY, tenantId);
  }

  /**
   * The entity behaviour of {@code tenantId}.
   *
   * @param clock the entity's clock: it expires leases and decides windows when a node's clock is
   *     off by more than the tolerance
   * @param members whether a lease owner ({@link LeaseOwners#idOf}) is still a cluster member
   * @param audit what a gone owner's lease spent, read to close it
   */
  public static Behavior<Command> create(
      String tenantId, BudgetSettings settings, Clock clock, Predicate<String> members, LeaseAudit audit) {
    PersistenceId persistenceId = PersistenceId.of(ENTITY_KEY.name(), tenantId);
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Duration interval = settings.expiryCheckInterval();
      if (!interval.isZero() && !interval.isNegative()) {
        timers.startTimerWithFixedDelay(ExpiryTick.INSTANCE, interval);
      }
      return new TenantBudget(persistenceId, tenantId, settings, clock, members, audit, ctx);
    }));
  }

  private static final Logger log = LoggerFactory.getLogger(TenantBudget.class);

  private final String tenantId;
  private final BudgetSettings settings;
  private final Clock clock;
  private final Predicate<String> members;
  private final LeaseAudit audit;
  private final ActorContext<Command> ctx;
  /** Lease id → when this incarnation of the entity first saw its owner gone (not persisted: it only delays). */
  private final Map<String, Instant> ownerGoneSince = new HashMap<>();
  /** Leases whose audit is being read. */
  private final Set<String> auditing = new HashSet<>();
  /** Overdraft batches whose audit is being read. */
  private final Set<String> auditingOverdrafts = new HashSet<>();
  private boolean sweepingOverdrafts;
  private Instant nextOverdraftSweep = Instant.MIN;

  private TenantBudget(PersistenceId persistenceId, String tenantId, BudgetSettings settings, Clock clock,
      Predicate<String> members, LeaseAudit audit, ActorContext<Command> ctx) {
    super(persistenceId, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.tenantId = tenantId;
    this.settings = settings;
    this.clock = clock;
    this.members = members;
    this.audit = audit;
    this.ctx = ctx;
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(SetLimits.class, this::onSetLimits)
        .onCommand(GetLimits.class, this::onGetLimits)
        .onCommand(AcquireLease.class, this::onAcquireLease)
        .onCommand(ReleaseUnheld.class, this::onReleaseUnheld)
        .onCommand(Settle.class, this::onSettle)
        .onCommand(SettleOverdraft.class, this::onSettleOverdraft)
        .onCommand(ExpireLeases.class, this::onExpireLeases)
        .onCommand(ExpiryTick.class, this::onExpiryTick)
        .onCommand(ReconcileLease.class, this::onReconcileLease)
        .onCommand(LeaseAuditRead.class, this::onLeaseAuditRead)
        .onCommand(OverdraftsRead.class, this::onOverdraftsRead)
        .onCommand(OverdraftAuditRead.class, this::onOverdraftAuditRead)
        .onCommand(GetSpend.class, this::onGetSpend)
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(LimitsSet.class, (s, e) -> s.limitsSet(e))
        .onEvent(LeaseGranted.class, (s, e) -> s.granted(e))
        .onEvent(LeaseSettled.class, (s, e) -> s.settled(e))
        .onEvent(LeaseExpired.class, (s, e) -> s.expired(e))
        .onEvent(LeaseReconciled.class, (s, e) -> s.reconciled(e))
        .onEvent(LeaseLateSettled.class, (s, e) -> s.lateSettled(e))
        .onEvent(WindowsMoved.class, (s, e) -> s.windowsMoved(e))
        .onEvent(OverdraftSettled.class, (s, e) -> s.overdraftSettled(e))
        .build();
  }

  /** A node's time when it is within the tolerance of the entity's clock, else the entity's own. */
  private Instant decidingTime(Instant nodeTime) {
    Instant own = clock.instant();
    if (nodeTime == null) {
      return own;
    }
    Duration off = Duration.between(own, nodeTime).abs();
    if (off.compareTo(settings.clockTolerance()) > 0) {
      log.warn("tenant {}: a node's time is {} ms off the budget entity's (a skewed clock or a delayed message);"
          + " the entity's clock decides", tenantId, off.toMillis());
      return own;
    }
    return nodeTime;
  }

  private ReplyEffect<Event, State> onSetLimits(State state, SetLimits cmd) {
    Optional<String> problem = LimitsValidation.problem(cmd.limits());
    if (problem.isPresent()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(problem.get()));
    }
    List<Event> events = new ArrayList<>(2);
    events.add(new LimitsSet(cmd.limits()));
    Set<WindowKey> windows = new HashSet<>(state.spent().keySet());
    state.holdingLeases().forEach(l -> windows.addAll(l.granted().keySet()));
    Map<WindowKey, WindowKey> moves =
        WindowMoves.of(windows, clock.instant(), state.zone(), ZoneId.of(cmd.limits().zoneId()));
    if (!moves.isEmpty()) {
      events.add(new WindowsMoved(moves));
    }
    return Effect().persist(events).thenReply(cmd.replyTo(), s -> StatusReply.success(s.limits()));
  }

  private ReplyEffect<Event, State> onGetLimits(State state, GetLimits cmd) {
    return Effect().reply(cmd.replyTo(), StatusReply.success(state.limits()));
  }

  private ReplyEffect<Event, State> onAcquireLease(State before, AcquireLease cmd) {
    if (cmd.nodeId() == null || cmd.keyId() == null || cmd.now() == null || cmd.want() == null
        || cmd.atLeast() == null || cmd.want().anyNegative() || cmd.atLeast().anyNegative()) {
      return Effect().reply(cmd.replyTo(),
          StatusReply.error("a lease needs a node id, a key id, the time and non-negative amounts"));
    }
    Instant now = decidingTime(cmd.now());
    List<Event> events = new ArrayList<>(1);
    State state = released(before, cmd, events);
    List<Limit> applicable = Availability.applicable(state.limits().limits(), cmd.keyId(), cmd.team());
    if (applicable.isEmpty()) {
      return persistAndReply(events, cmd.replyTo(), LeaseGrant.granted(
          UNLIMITED_LEASE_PREFIX + UUID.randomUUID(), UNLIMITED, now, now.plus(settings.leaseTtl()), List.of()));
    }
    ZoneId zone = state.zone();
    List<WindowKey> windows = new ArrayList<>(applicable.size());
    long[] available = new long[applicable.size()];
    Map<Dimension, Long> availableByDimension = new EnumMap<>(Dimension.class);
    for (int i = 0; i < applicable.size(); i++) {
      Limit limit = applicable.get(i);
      WindowKey window = Windows.windowOf(limit, now, zone);
      windows.add(window);
      available[i] = state.available(limit, window);
      availableByDimension.merge(limit.kind().dimension(), available[i], Math::min);
    }
    boolean contended = state.leases().values().stream().anyMatch(l -> !l.nodeId().equals(cmd.nodeId()));
    Demand grant = UNLIMITED;
    boolean fits = true;
    for (Map.Entry<Dimension, Long> e : availableByDimension.entrySet()) {
      Dimension d = e.getKey();
      long atLeast = d.of(cmd.atLeast());
      if (!LeaseSizing.fits(atLeast, e.getValue())) {
        fits = false;
      } else {
        grant = grant.with(d, LeaseSizing.size(d.of(cmd.want()), atLeast, e.getValue(), contended));
      }
    }
    if (!fits) {
      return persistAndReply(events, cmd.replyTo(), refusal(cmd.atLeast(), applicable, windows, available, zone, now));
    }
    Map<WindowKey, Long> granted = new HashMap<>();
    List<LimitStatus> status = new ArrayList<>(applicable.size());
    for (int i = 0; i < applicable.size(); i++) {
      Limit limit = applicable.get(i);
      long amount = limit.kind().of(grant);
      granted.put(windows.get(i), amount);
      status.add(status(limit, windows.get(i), available[i] - amount, zone));
    }
    Instant expiresAt = boundedExpiry(now.plus(settings.leaseTtl()), granted.keySet(), zone);
    String leaseId = UUID.randomUUID().toString();
    Demand amounts = grant;
    events.add(new LeaseGranted(leaseId, cmd.nodeId(), cmd.keyId(), cmd.team(), now, expiresAt, granted));
    return persistAndReply(events, cmd.replyTo(), LeaseGrant.granted(leaseId, amounts, now, expiresAt, status));
  }

  /**
   * The state after releasing the leases of the asking node and key that the node does not hold:
   * their grant's answer never reached it (an ask that timed out), so nothing was admitted from
   * them. They close with nothing spent (a tombstone still counts a settlement, should one come).
   */
  private State released(State state, AcquireLease cmd, List<Event> events) {
    return released(state, cmd.nodeId(), cmd.keyId(), cmd.team(), cmd.held(), events);
  }

  private ReplyEffect<Event, State> onReleaseUnheld(State state, ReleaseUnheld cmd) {
    if (cmd.nodeId() == null || cmd.keyId() == null || cmd.held() == null) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("a release needs a node id, a key id and the held leases"));
    }
    List<Event> events = new ArrayList<>();
    released(state, cmd.nodeId(), cmd.keyId(), cmd.team(), cmd.held(), events);
    if (events.isEmpty()) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(0));
    }
    return Effect().persist(events).thenReply(cmd.replyTo(), s -> StatusReply.success(events.size()));
  }

  private State released(State state, String nodeId, String keyId, String team, List<String> held, List<Event> events) {
    if (held == null) {
      return state;
    }
    List<Lease> orphans = state.holdingLeases().stream()
        .filter(l -> l.nodeId().equals(nodeId) && l.keyId().equals(keyId)
            && java.util.Objects.equals(l.team(), team) && !held.contains(l.leaseId()))
        .sorted(Comparator.comparing(Lease::leaseId))
        .toList();
    State next = state;
    for (Lease orphan : orphans) {
      log.info("tenant {}: lease {} never reached node {} (its grant's answer was lost): released", tenantId,
          orphan.leaseId(), orphan.nodeId());
      LeaseReconciled released = new LeaseReconciled(orphan.leaseId(), Demand.ZERO);
      events.add(released);
      next = next.reconciled(released);
    }
    return next;
  }

  private ReplyEffect<Event, State> persistAndReply(
      List<Event> events, ActorRef<StatusReply<LeaseGrant>> replyTo, LeaseGrant answer) {
    if (events.isEmpty()) {
      return Effect().reply(replyTo, StatusReply.success(answer));
    }
    return Effect().persist(events).thenReply(replyTo, s -> StatusReply.success(answer));
  }

  /**
   * Why nothing fits: a blocking USD or TOKENS limit makes it BUDGET_EXHAUSTED (retry after the
   * latest end among them, never for LIFETIME); otherwise RATE_LIMITED until the minute ends.
   */
  private static LeaseGrant refusal(
      Demand atLeast, List<Limit> applicable, List<WindowKey> windows, long[] available, ZoneId zone, Instant now) {
    List<LimitStatus> status = new ArrayList<>(applicable.size());
    List<Integer> blocking = new ArrayList<>();
    for (int i = 0; i < applicable.size(); i++) {
      Limit limit = applicable.get(i);
      status.add(status(limit, windows.get(i), available[i], zone));
      if (!LeaseSizing.fits(limit.kind().of(atLeast), available[i])) {
        blocking.add(i);
      }
    }
    boolean budget = blocking.stream().anyMatch(i -> !applicable.get(i).kind().perMinute());
    DenialReason reason = budget ? DenialReason.BUDGET_EXHAUSTED : DenialReason.RATE_LIMITED;
    Instant retryAfter = null;
    for (int i : blocking) {
      if (applicable.get(i).kind().perMinute() == budget) {
        continue;
      }
      Instant end = Windows.endOf(windows.get(i), zone);
      if (end == null) {
        retryAfter = null;
        break;
      }
      retryAfter = retryAfter == null || end.isAfter(retryAfter) ? end : retryAfter;
    }
    return LeaseGrant.denied(reason, retryAfter, status, now);
  }

  private static LimitStatus status(Limit limit, WindowKey window, long remaining, ZoneId zone) {
    return new LimitStatus(limit.kind(), limit.period(), limit.scope(), limit.amount(), remaining,
        Windows.endOf(window, zone));
  }

  /** A lease's capacity is only valid in its windows: it never outlives the first that ends. */
  private static Instant boundedExpiry(Instant candidate, Collection<WindowKey> windows, ZoneId zone) {
    Instant expiry = candidate;
    for (WindowKey window : windows) {
      Instant end = Windows.endOf(window, zone);
      if (end != null && end.isBefore(expiry)) {
        expiry = end;
      }
    }
    return expiry;
  }

  private ReplyEffect<Event, State> onSettle(State state, Settle cmd) {
    if (cmd.leaseId() == null || cmd.spent() == null || cmd.spent().anyNegative() || (!cmd.close() && cmd.now() == null)) {
      return Effect().reply(cmd.replyTo(),
          StatusReply.error("a settlement needs a lease id, non-negative amounts and the time"));
    }
    if (cmd.leaseId().startsWith(UNLIMITED_LEASE_PREFIX)) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(new SettleAck(cmd.leaseId(), !cmd.close())));
    }
    Lease open = state.leases().get(cmd.leaseId());
    Lease lease = open != null ? open : state.expired().get(cmd.leaseId());
    if (lease == null) {
      return settleClosed(state, cmd);
    }
    if (cmd.seq() <= lease.lastSettleSeq()) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(new SettleAck(cmd.leaseId(), open != null)));
    }
    Instant expiresAt = null;
    if (open != null && !cmd.close()) {
      Instant renewed =
          boundedExpiry(decidingTime(cmd.now()).plus(settings.leaseTtl()), open.granted().keySet(), state.zone());
      expiresAt = renewed.isAfter(open.expiresAt()) ? renewed : open.expiresAt();
    }
    return Effect().persist(new LeaseSettled(cmd.leaseId(), cmd.seq(), cmd.spent(), cmd.close(), expiresAt))
        .thenReply(cmd.replyTo(),
            s -> StatusReply.success(new SettleAck(cmd.leaseId(), s.leases().containsKey(cmd.leaseId()))));
  }

  private ReplyEffect<Event, State> onSettleOverdraft(State state, SettleOverdraft cmd) {
    if (cmd.overdraftId() == null || !cmd.overdraftId().startsWith(OVERDRAFT_LEASE_PREFIX) || cmd.keyId() == null
        || cmd.admittedAt() == null || cmd.spent() == null || cmd.spent().anyNegative()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(
          "an overdraft settlement needs an overdraft id, a key, the admission time and non-negative amounts"));
    }
    SettleAck done = new SettleAck(cmd.overdraftId(), false);
    if (state.closed().containsKey(cmd.overdraftId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(done));
    }
    log.info("tenant {}: overdraft {} of key {} admitted at {} settled: {} µ$, {} tokens, {} requests", tenantId,
        cmd.overdraftId(), cmd.keyId(), cmd.admittedAt(), cmd.spent().usdMicros(), cmd.spent().tokens(),
        cmd.spent().requests());
    return Effect().persist(overdraftSettled(state, cmd.overdraftId(), cmd.keyId(), cmd.team(), cmd.admittedAt(),
            cmd.spent()))
        .thenRun(s -> audit.overdraftSettled(tenantId, cmd.overdraftId()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(done));
  }

  private OverdraftSettled overdraftSettled(State state, String overdraftId, String keyId, String team,
      Instant admittedAt, Demand spent) {
    List<WindowKey> windows = Availability.applicable(state.limits().limits(), keyId, team).stream()
        .map(limit -> Windows.windowOf(limit, admittedAt, state.zone()))
        .toList();
    return new OverdraftSettled(overdraftId, windows, spent, clock.instant());
  }

  /**
   * A fail-open tenant's node may die before it settles its overdraft batches: every reconcile grace
   * the entity reads the tenant's unsettled batches (registered with their calls' admission rows).
   */
  private void sweepOverdrafts(State state, Instant now) {
    TenantLimits limits = state.limits();
    if (sweepingOverdrafts || limits == null || limits.failMode() != FailMode.OPEN || now.isBefore(nextOverdraftSweep)) {
      return;
    }
    sweepingOverdrafts = true;
    nextOverdraftSweep = now.plus(settings.reconcileGrace());
    CompletableFuture<List<OverdraftBatchRow>> read = audit.unsettledOverdrafts(tenantId).toCompletableFuture()
        .orTimeout(settings.auditReadTimeout().toMillis(), TimeUnit.MILLISECONDS);
    ctx.pipeToSelf(read, (batches, failure) -> new OverdraftsRead(failure == null ? batches : List.of()));
  }

  /**
   * Closes, from their audit, the batches whose node is no longer a member, once their minute and
   * the reconcile grace are over; a live node settles its own.
   */
  private ReplyEffect<Event, State> onOverdraftsRead(State state, OverdraftsRead read) {
    sweepingOverdrafts = false;
    Instant now = clock.instant();
    for (OverdraftBatchRow batch : read.batches()) {
      String id = batch.batchId();
      if (state.closed().containsKey(id)) {
        audit.overdraftSettled(tenantId, id);
        continue;
      }
      Instant minuteEnd = batch.admittedAt().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(60);
      if (members.test(batch.owner()) || now.isBefore(minuteEnd.plus(settings.reconcileGrace()))
          || !auditingOverdrafts.add(id)) {
        continue;
      }
      log.info("tenant {}: overdraft {} of {}, a node no longer in the cluster, is closed from its audit", tenantId, id,
          batch.owner());
      CompletableFuture<Demand> spent = audit.spentUnder(tenantId, id).toCompletableFuture()
          .orTimeout(settings.auditReadTimeout().toMillis(), TimeUnit.MILLISECONDS);
      ctx.pipeToSelf(spent, (d, failure) -> new OverdraftAuditRead(batch, failure == null ? d : null));
    }
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onOverdraftAuditRead(State state, OverdraftAuditRead read) {
    OverdraftBatchRow batch = read.batch();
    auditingOverdrafts.remove(batch.batchId());
    if (read.spent() == null || state.closed().containsKey(batch.batchId()) || members.test(batch.owner())
        || state.limits() == null) {
      return Effect().noReply();
    }
    log.info("tenant {}: overdraft {} closed from its audit: {} µ$, {} tokens, {} requests", tenantId,
        batch.batchId(), read.spent().usdMicros(), read.spent().tokens(), read.spent().requests());
    return Effect().persist(overdraftSettled(state, batch.batchId(), batch.keyId(), batch.team(), batch.admittedAt(),
            read.spent()))
        .thenRun(s -> audit.overdraftSettled(tenantId, batch.batchId()))
        .thenNoReply();
  }

  /**
   * A settlement for a lease that is closed: counted into its windows (what its closing did not
   * count already) while its tombstone lasts; never silently dropped.
   */
  private ReplyEffect<Event, State> settleClosed(State state, Settle cmd) {
    ClosedLease tomb = state.closed().get(cmd.leaseId());
    if (tomb == null) {
      log.error("tenant {}: settlement {} of unknown lease {} ({} µ$, {} tokens, {} requests) cannot be counted",
          tenantId, cmd.seq(), cmd.leaseId(), cmd.spent().usdMicros(), cmd.spent().tokens(), cmd.spent().requests());
      return Effect().reply(cmd.replyTo(), StatusReply.success(new SettleAck(cmd.leaseId(), false)));
    }
    if (cmd.seq() <= tomb.lastSettleSeq()) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(new SettleAck(cmd.leaseId(), false)));
    }
    Demand excess = tomb.excessOf(cmd.spent());
    log.warn("tenant {}: late settlement {} of closed lease {}: {} µ$ settled, {} µ$ not yet counted",
        tenantId, cmd.seq(), cmd.leaseId(), cmd.spent().usdMicros(), excess.usdMicros());
    return Effect().persist(new LeaseLateSettled(cmd.leaseId(), cmd.seq(), cmd.spent(), excess))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(SettleAck.late(cmd.leaseId())));
  }

  private ReplyEffect<Event, State> onExpiryTick(State state, ExpiryTick tick) {
    return expire(state, clock.instant());
  }

  private ReplyEffect<Event, State> onExpireLeases(State state, ExpireLeases cmd) {
    return cmd.now() == null ? Effect().noReply() : expire(state, cmd.now());
  }

  /**
   * Expires open leases past their expiry, and every lease whose node is no longer a member; once
   * that node has been gone for the reconcile grace, reads the lease's audit to close it. A lease
   * of a live node stays (held) until its node settles and closes it.
   */
  private ReplyEffect<Event, State> expire(State state, Instant now) {
    List<Event> events = new ArrayList<>();
    state.leases().values().stream()
        .filter(l -> !now.isBefore(l.expiresAt()) || !members.test(l.nodeId()))
        .sorted(Comparator.comparing(Lease::leaseId))
        .forEach(l -> events.add(new LeaseExpired(l.leaseId())));
    ownerGoneSince.keySet().removeIf(id -> state.holding(id) == null);
    for (Lease l : state.holdingLeases()) {
      if (members.test(l.nodeId())) {
        ownerGoneSince.remove(l.leaseId());
        continue;
      }
      Instant gone = ownerGoneSince.computeIfAbsent(l.leaseId(), id -> now);
      if (!now.isBefore(gone.plus(settings.reconcileGrace())) && auditing.add(l.leaseId())) {
        String leaseId = l.leaseId();
        log.info("tenant {}: lease {} of {}, a node no longer in the cluster, is closed from its audit", tenantId,
            leaseId, l.nodeId());
        CompletableFuture<Demand> read = audit.spentUnder(tenantId, leaseId).toCompletableFuture()
            .orTimeout(settings.auditReadTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ctx.pipeToSelf(read, (spent, failure) -> {
          if (failure != null) {
            log.warn("tenant {}: the audit of lease {} could not be read yet: {}", tenantId, leaseId, failure.toString());
          }
          return new LeaseAuditRead(leaseId, failure == null ? spent : null);
        });
      }
    }
    sweepOverdrafts(state, now);
    if (events.isEmpty()) {
      return Effect().noReply();
    }
    return Effect().persist(events).thenNoReply();
  }

  private ReplyEffect<Event, State> onLeaseAuditRead(State state, LeaseAuditRead read) {
    auditing.remove(read.leaseId());
    Lease lease = state.expired().get(read.leaseId());
    if (read.spent() == null || lease == null || members.test(lease.nodeId())) {
      return Effect().noReply();
    }
    Demand extra = extraOver(lease, read.spent());
    log.info("tenant {}: lease {} closed from its audit: {} µ$ beyond what it settled", tenantId, read.leaseId(),
        extra.usdMicros());
    return Effect().persist(new LeaseReconciled(read.leaseId(), extra)).thenNoReply();
  }

  private ReplyEffect<Event, State> onReconcileLease(State state, ReconcileLease cmd) {
    if (cmd.leaseId() == null || cmd.auditedSpent() == null || cmd.auditedSpent().anyNegative()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("a reconciliation needs a lease id and non-negative amounts"));
    }
    if (state.leases().containsKey(cmd.leaseId())) {
      return Effect().reply(cmd.replyTo(),
          StatusReply.error("lease " + cmd.leaseId() + " is still open: only an expired lease is reconciled"));
    }
    Lease lease = state.expired().get(cmd.leaseId());
    if (lease == null) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(new SettleAck(cmd.leaseId(), false)));
    }
    if (members.test(lease.nodeId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(
          "lease " + cmd.leaseId() + " belongs to a node that is still a member: its own settlements close it"));
    }
    return Effect().persist(new LeaseReconciled(cmd.leaseId(), extraOver(lease, cmd.auditedSpent())))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(new SettleAck(cmd.leaseId(), false)));
  }

  /** What the audit shows beyond what the lease settled, per dimension. */
  private static Demand extraOver(Lease lease, Demand audited) {
    Demand extra = Demand.ZERO;
    for (Dimension d : Dimension.values()) {
      extra = extra.with(d, Math.max(0, d.of(audited) - lease.settledOf(d)));
    }
    return extra;
  }

  private ReplyEffect<Event, State> onGetSpend(State state, GetSpend cmd) {
    if (cmd.now() == null) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("the time is required"));
    }
    ZoneId zone = state.zone();
    Collection<Lease> holding = state.holdingLeases();
    List<SpendLine> lines = new ArrayList<>();
    for (Limit limit : state.limits().limits()) {
      WindowKey window = Windows.windowOf(limit, cmd.now(), zone);
      long spent = state.spentIn(window);
      long held = Availability.held(window, holding);
      lines.add(new SpendLine(limit.scope(), limit.kind(), limit.period(),
          Instant.ofEpochMilli(window.windowStartEpochMillis()), Windows.endOf(window, zone), limit.amount(), spent,
          held, Availability.available(limit.amount(), spent, held)));
    }
    List<String> expiredIds = state.expired().keySet().stream().sorted().toList();
    return Effect().reply(cmd.replyTo(), StatusReply.success(new SpendReport(lines, expiredIds)));
  }
}
