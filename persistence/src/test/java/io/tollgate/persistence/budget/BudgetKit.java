package io.tollgate.persistence.budget;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tollgate.persistence.budget.TenantBudget.AcquireLease;
import io.tollgate.persistence.budget.TenantBudget.Command;
import io.tollgate.persistence.budget.TenantBudget.Event;
import io.tollgate.persistence.budget.TenantBudget.GetSpend;
import io.tollgate.persistence.budget.TenantBudget.SetLimits;
import io.tollgate.persistence.budget.TenantBudget.Settle;
import io.tollgate.persistence.budget.TenantBudget.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.typed.PersistenceId;

/** A {@link TenantBudget} under {@link EventSourcedBehaviorTestKit}, with short helpers. */
final class BudgetKit {

  /** In-memory journal and snapshots, and the CBOR binding, so every message is serialised. */
  static final Config CONFIG = ConfigFactory.parseString("""
          pekko.actor.serialization-bindings {
            "io.tollgate.persistence.CborSerializable" = jackson-cbor
          }
          """)
      .withFallback(EventSourcedBehaviorTestKit.config());

  /** No timer: tests expire leases with explicit {@code ExpireLeases(now)}; a gone node's lease is read after 10 s. */
  static final BudgetSettings SETTINGS =
      new BudgetSettings(Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(2),
          Duration.ofSeconds(30));

  final EventSourcedBehaviorTestKit<Command, Event, State> kit;
  /** The entity's clock: the helpers below set it to the time they send, as a node with a good clock would. */
  final SettableClock clock;
  /** Nodes that are no longer cluster members (every other node is one). */
  final Set<String> gone = ConcurrentHashMap.newKeySet();
  /** What the audit shows per lease id (a lease missing here cannot be read yet). */
  final Map<String, Demand> audited = new ConcurrentHashMap<>();
  /** Overdraft batches registered and not marked settled, by id. */
  final Map<String, OverdraftBatchRow> overdraftBatches = new ConcurrentHashMap<>();

  private BudgetKit(SettableClock clock, boolean checkSerialization, ActorSystem<?> system) {
    this.clock = clock;
    LeaseAudit audit = new LeaseAudit() {
      @Override
      public CompletionStage<Demand> spentUnder(String tenantId, String leaseId) {
        Demand d = audited.get(leaseId);
        return d != null ? CompletableFuture.completedFuture(d)
            : CompletableFuture.failedFuture(new IllegalStateException("no audit for " + leaseId));
      }

      @Override
      public CompletionStage<List<OverdraftBatchRow>> unsettledOverdrafts(String tenantId) {
        return CompletableFuture.completedFuture(List.copyOf(overdraftBatches.values()));
      }

      @Override
      public CompletionStage<Void> overdraftSettled(String tenantId, String batchId) {
        overdraftBatches.remove(batchId);
        return CompletableFuture.completedFuture(null);
      }
    };
    org.apache.pekko.actor.typed.Behavior<Command> behavior = TenantBudget.create("t-" + UUID.randomUUID(), SETTINGS,
        clock, node -> !gone.contains(node), audit);
    this.kit = checkSerialization
        ? EventSourcedBehaviorTestKit.create(system, behavior)
        : EventSourcedBehaviorTestKit.create(system, behavior, EventSourcedBehaviorTestKit.disabledSerializationSettings());
  }

  static BudgetKit create(ActorSystem<?> system) {
    return new BudgetKit(new SettableClock(Instant.parse("2025-03-10T10:00:00Z")), true, system);
  }

  static BudgetKit withoutSerializationChecks(ActorSystem<?> system) {
    return new BudgetKit(new SettableClock(Instant.parse("2025-03-10T10:00:00Z")), false, system);
  }

  /** Expires leases at {@code now} (the entity's clock set there too). */
  EventSourcedBehaviorTestKit.CommandResult<Command, Event, State> expire(Instant now) {
    clock.set(now);
    return kit.runCommand(new TenantBudget.ExpireLeases(now));
  }

  CommandResultWithReply<Command, Event, State, StatusReply<TenantLimits>> setLimits(TenantLimits limits) {
    return kit.runCommand(r -> new SetLimits(limits, r));
  }

  TenantLimits limits(String zone, Limit... limits) {
    StatusReply<TenantLimits> reply = setLimits(new TenantLimits(zone, FailMode.CLOSED, 0, List.of(limits))).reply();
    if (reply.isError()) {
      throw new AssertionError(reply.getError().getMessage());
    }
    return reply.getValue();
  }

  CommandResultWithReply<Command, Event, State, StatusReply<LeaseGrant>> acquire(
      String node, String key, String team, Demand want, Demand atLeast, Instant now) {
    clock.set(now);
    return kit.runCommand(r -> new AcquireLease(node, key, team, want, atLeast, now, r));
  }

  LeaseGrant grant(String node, String key, String team, Demand want, Demand atLeast, Instant now) {
    return acquire(node, key, team, want, atLeast, now).reply().getValue();
  }

  CommandResultWithReply<Command, Event, State, StatusReply<SettleAck>> settle(
      String leaseId, long seq, Demand spent, boolean close, Instant now) {
    if (now != null) {
      clock.set(now);
    }
    return kit.runCommand(r -> new Settle(leaseId, seq, spent, close, now, r));
  }

  SpendReport spend(Instant now) {
    return kit.<StatusReply<SpendReport>>runCommand(r -> new GetSpend(now, r)).reply().getValue();
  }

  /** The report line of {@code scope}/{@code kind}. */
  SpendLine line(Instant now, String scope, LimitKind kind) {
    return spend(now).lines().stream()
        .filter(l -> l.scope().equals(scope) && l.kind() == kind)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + scope + " " + kind));
  }

  static Demand usd(long micros) {
    return new Demand(micros, 0, 1);
  }
}
