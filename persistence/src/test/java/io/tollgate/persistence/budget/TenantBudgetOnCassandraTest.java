package io.tollgate.persistence.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.budget.TenantBudget.AcquireLease;
import io.tollgate.persistence.budget.TenantBudget.GetLimits;
import io.tollgate.persistence.budget.TenantBudget.GetSpend;
import io.tollgate.persistence.budget.TenantBudget.SetLimits;
import io.tollgate.persistence.budget.TenantBudget.Settle;
import io.tollgate.persistence.schema.PersistenceSchema;
import io.tollgate.persistence.testing.TestCassandra;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The budget entity, sharded on a one-node cluster, keeps its ledger and leases in Cassandra. */
class TenantBudgetOnCassandraTest {
  // The first write may wait for Cassandra schema changes, slow on 2 cores.
  private static final Duration FIRST_WRITE = Duration.ofSeconds(90);
  private static final Duration ASK = Duration.ofSeconds(30);

  private static ActorTestKit testKit;

  @BeforeAll
  static void startNode() throws Exception {
    // Idle entities passivate after 2 s, so a test can watch its entity stop and recover.
    testKit = ActorTestKit.create("TenantBudgetOnCassandraTest", TestCassandra.config("""
        pekko.cluster.sharding.passivation.default-idle-strategy.idle-entity.timeout = 2s
        tollgate.budget.expiry-check-interval = 0s
        """));
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30),
        () -> assertThat(cluster.selfMember().status()).isEqualTo(MemberStatus.up()));
    PersistenceSchema.ensure(testKit.system()).toCompletableFuture().get(120, TimeUnit.SECONDS);
    TenantBudget.init(testKit.system());
  }

  @AfterAll
  static void stopNode() {
    if (testKit != null) {
      testKit.shutdownTestKit();
    }
  }

  /** Asks with a timeout; Pekko 1.2's javadsl {@code askWithStatus} takes a {@code scala.Function1}. */
  private static <T> T ask(EntityRef<TenantBudget.Command> budget,
      scala.Function1<ActorRef<StatusReply<T>>, TenantBudget.Command> message, Duration timeout) throws Exception {
    return budget.askWithStatus(message, timeout).toCompletableFuture()
        .get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
  }

  @Test
  void a_passivated_budget_recovers_limits_ledger_and_leases_from_cassandra() throws Exception {
    String tenant = "t-" + UUID.randomUUID();
    EntityRef<TenantBudget.Command> budget = TenantBudget.ref(testKit.system(), tenant);
    Instant now = Instant.now();
    TenantLimits limits = new TenantLimits("Europe/Berlin", FailMode.CLOSED, 0,
        List.of(new Limit("tenant", LimitKind.USD, Period.DAILY, 1_000_000)));

    TenantLimits stored = ask(budget, r -> new SetLimits(limits, r), FIRST_WRITE);
    LeaseGrant grant = ask(budget,
        r -> new AcquireLease("n1", "k1", null, BudgetKit.usd(200_000), BudgetKit.usd(1_000), now, r), ASK);
    SettleAck settled = ask(budget, r -> new Settle(grant.leaseId(), 1, BudgetKit.usd(30_000), false, now, r), ASK);
    SpendReport before = ask(budget, r -> new GetSpend(now, r), ASK);
    awaitPassivated(tenant);

    SpendReport after = ask(budget, r -> new GetSpend(now, r), ASK);
    TenantLimits limitsAfter = ask(budget, (ActorRef<StatusReply<TenantLimits>> r) -> new GetLimits(r), ASK);
    SettleAck repeated = ask(budget, r -> new Settle(grant.leaseId(), 1, BudgetKit.usd(30_000), false, now, r), ASK);
    SettleAck closed = ask(budget, r -> new Settle(grant.leaseId(), 2, BudgetKit.usd(10_000), true, now, r), ASK);
    SpendReport end = ask(budget, r -> new GetSpend(now, r), ASK);

    assertThat(stored).isEqualTo(limits);
    assertThat(grant.granted()).isTrue();
    assertThat(settled.open()).isTrue();
    assertThat(before.lines()).singleElement().extracting(SpendLine::spent, SpendLine::held)
        .containsExactly(30_000L, 170_000L);
    assertThat(after).isEqualTo(before);
    assertThat(limitsAfter).isEqualTo(limits);
    assertThat(repeated.open()).as("the settle sequence was recovered").isTrue();
    assertThat(closed.open()).isFalse();
    assertThat(end.lines()).singleElement().extracting(SpendLine::spent, SpendLine::held, SpendLine::available)
        .containsExactly(40_000L, 0L, 960_000L);
  }

  @Test
  void the_expiry_timer_closes_the_lease_of_a_node_that_is_not_a_member_from_its_audit() throws Exception {
    String tenant = "t-" + UUID.randomUUID();
    BudgetSettings fast = new BudgetSettings(Duration.ofMinutes(5), Duration.ofMillis(200), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(30));
    LeaseAudit audit = (t, leaseId) -> CompletableFuture.completedFuture(BudgetKit.usd(40_000));
    ActorRef<TenantBudget.Command> budget = testKit.spawn(TenantBudget.create(tenant, fast, Clock.systemUTC(),
        LeaseOwners.membersOf(testKit.system()), audit));
    TestProbe<StatusReply<SpendReport>> spend = testKit.createTestProbe();
    TestProbe<StatusReply<LeaseGrant>> grants = testKit.createTestProbe();
    TestProbe<StatusReply<TenantLimits>> set = testKit.createTestProbe();
    budget.tell(new SetLimits(new TenantLimits("UTC", FailMode.CLOSED, 0,
        List.of(new Limit("tenant", LimitKind.USD, Period.LIFETIME, 1_000_000))), set.ref()));
    set.receiveMessage(FIRST_WRITE);

    String gone = "pekko://Elsewhere@127.0.0.1:1#42";
    budget.tell(new AcquireLease(gone, "k1", null, BudgetKit.usd(200_000), BudgetKit.usd(1_000), Instant.now(),
        grants.ref()));
    assertThat(grants.receiveMessage(ASK).getValue().granted()).isTrue();

    spend.awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
      budget.tell(new GetSpend(Instant.now(), spend.ref()));
      SpendReport report = spend.receiveMessage(ASK).getValue();
      assertThat(report.expiredLeaseIds()).isEmpty();
      assertThat(report.lines()).singleElement().extracting(SpendLine::spent, SpendLine::held, SpendLine::available)
          .containsExactly(40_000L, 0L, 960_000L);
      return null;
    });
    testKit.stop(budget, ASK);
  }

  @Test
  void a_lease_of_this_node_is_held_past_its_expiry_until_settled() throws Exception {
    String tenant = "t-" + UUID.randomUUID();
    BudgetSettings fast = new BudgetSettings(Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(30));
    ActorRef<TenantBudget.Command> budget = testKit.spawn(TenantBudget.create(tenant, fast, Clock.systemUTC(),
        LeaseOwners.membersOf(testKit.system()), LeaseAudit.UNAVAILABLE));
    TestProbe<StatusReply<SpendReport>> spend = testKit.createTestProbe();
    TestProbe<StatusReply<LeaseGrant>> grants = testKit.createTestProbe();
    TestProbe<StatusReply<TenantLimits>> set = testKit.createTestProbe();
    TestProbe<StatusReply<SettleAck>> acks = testKit.createTestProbe();
    budget.tell(new SetLimits(new TenantLimits("UTC", FailMode.CLOSED, 0,
        List.of(new Limit("tenant", LimitKind.USD, Period.LIFETIME, 1_000_000))), set.ref()));
    set.receiveMessage(FIRST_WRITE);
    String self = LeaseOwners.idOf(Cluster.get(testKit.system()).selfMember().uniqueAddress());
    budget.tell(new AcquireLease(self, "k1", null, BudgetKit.usd(200_000), BudgetKit.usd(1_000), Instant.now(),
        grants.ref()));
    LeaseGrant grant = grants.receiveMessage(ASK).getValue();

    spend.awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
      budget.tell(new GetSpend(Instant.now(), spend.ref()));
      assertThat(spend.receiveMessage(ASK).getValue().expiredLeaseIds()).containsExactly(grant.leaseId());
      return null;
    });
    budget.tell(new Settle(grant.leaseId(), 1, BudgetKit.usd(70_000), true, Instant.now(), acks.ref()));
    acks.receiveMessage(ASK);
    budget.tell(new GetSpend(Instant.now(), spend.ref()));
    assertThat(spend.receiveMessage(ASK).getValue().lines()).singleElement()
        .extracting(SpendLine::spent, SpendLine::held).containsExactly(70_000L, 0L);
    testKit.stop(budget, ASK);
  }

  /** Waits until sharding lists the tenant's entity as running, then until it has passivated. */
  private static void awaitPassivated(String tenant) {
    ActorRef<ClusterShardingQuery> query = ClusterSharding.get(testKit.system()).shardState();
    TestProbe<CurrentShardRegionState> probe = testKit.createTestProbe();
    query.tell(new GetShardRegionState(TenantBudget.ENTITY_KEY, probe.ref()));
    assertThat(probe.receiveMessage(ASK).getShards()).anyMatch(s -> s.getEntityIds().contains(tenant));
    probe.awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(250), () -> {
      query.tell(new GetShardRegionState(TenantBudget.ENTITY_KEY, probe.ref()));
      CurrentShardRegionState state = probe.receiveMessage(ASK);
      assertThat(state.getShards()).noneMatch(s -> s.getEntityIds().contains(tenant));
      return null;
    });
  }
}
