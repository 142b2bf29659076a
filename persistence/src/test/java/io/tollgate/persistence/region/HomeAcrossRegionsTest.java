package io.tollgate.persistence.region;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.budget.FailMode;
import io.tollgate.persistence.budget.LeaseGrant;
import io.tollgate.persistence.budget.Limit;
import io.tollgate.persistence.budget.LimitKind;
import io.tollgate.persistence.budget.Period;
import io.tollgate.persistence.budget.SettleAck;
import io.tollgate.persistence.budget.SpendLine;
import io.tollgate.persistence.budget.SpendReport;
import io.tollgate.persistence.budget.TenantBudget;
import io.tollgate.persistence.budget.TenantLimits;
import io.tollgate.persistence.registry.ApiKeys;
import io.tollgate.persistence.registry.CreatedKey;
import io.tollgate.persistence.registry.KeyAdmin;
import io.tollgate.persistence.registry.KeyDirectory;
import io.tollgate.persistence.registry.KeyLookup;
import io.tollgate.persistence.registry.KeyRegistry;
import io.tollgate.persistence.registry.KeyStore;
import io.tollgate.persistence.registry.TenantInfo;
import io.tollgate.persistence.schema.PersistenceSchema;
import io.tollgate.persistence.testing.TestCassandra;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two regions (Pekko data centers {@code a} and {@code b}, one node each) in one JVM on the test
 * Cassandra: a tenant's budget entity runs in its home region only, whichever region asks; moving
 * the home recovers it, open leases included, in the new region; the key registry runs in the
 * primary region, and key changes made in one region reach the other region's directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HomeAcrossRegionsTest {
  private static final Duration ASK = Duration.ofSeconds(20);
  private static final Demand DOLLAR = new Demand(1_000_000, 0, 0);
  private static final Demand CENT = new Demand(10_000, 0, 0);

  private ActorTestKit a;
  private ActorTestKit b;

  @BeforeAll
  void startTwoRegions() throws Exception {
    a = ActorTestKit.create("HomeAcrossRegionsTest", TestCassandra.config(region("a")));
    b = ActorTestKit.create("HomeAcrossRegionsTest", TestCassandra.config(region("b")));
    Cluster.get(a.system()).manager().tell(Join.create(Cluster.get(a.system()).selfMember().address()));
    Cluster.get(b.system()).manager().tell(Join.create(Cluster.get(a.system()).selfMember().address()));
    a.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertThat(Cluster.get(a.system()).state().getMembers()).hasSize(2)
          .allSatisfy(m -> assertThat(m.status()).isEqualTo(MemberStatus.up()));
      assertThat(Cluster.get(b.system()).state().getMembers()).hasSize(2)
          .allSatisfy(m -> assertThat(m.status()).isEqualTo(MemberStatus.up()));
      return null;
    });
    PersistenceSchema.ensure(a.system()).toCompletableFuture().get(120, TimeUnit.SECONDS);
    for (ActorTestKit node : List.of(a, b)) {
      TenantBudget.init(node.system());
      KeyRegistry.init(node.system());
      TenantHomes.get(node.system()).ready().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
  }

  private static String region(String name) {
    return """
        pekko.cluster.multi-data-center.self-data-center = %s
        tollgate.regions.all = [a, b]
        tollgate.regions.fence-timeout = 3s
        # One Cassandra data center for both regions (the test Cassandra's).
        tollgate.regions.replication { datacenter1 = 1 }
        # A keyspace of its own, so that this test creates it (with NetworkTopologyStrategy).
        tollgate.cassandra.keyspace = tollgate_regions_test
        tollgate.budget.expiry-check-interval = 0s
        """.formatted(name);
  }

  @AfterAll
  void stopRegions() {
    if (b != null) {
      b.shutdownTestKit();
    }
    if (a != null) {
      a.shutdownTestKit();
    }
  }

  @Test
  void a_budget_lives_in_its_home_region_and_a_move_recovers_it_with_its_open_leases_in_the_new_one()
      throws Exception {
    // Given a tenant homed in the default home (a), set up and leased through region b
    String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    Instant now = Instant.now();
    TenantLimits limits = new TenantLimits("UTC", FailMode.CLOSED, 0,
        List.of(new Limit("tenant", LimitKind.USD, Period.DAILY, 5 * DOLLAR.usdMicros())));
    TenantLimits stored = ask(b.system(), tenant, r -> new TenantBudget.SetLimits(limits, r));
    LeaseGrant lease = ask(b.system(), tenant,
        r -> new TenantBudget.AcquireLease("node-in-b", "k1", null, DOLLAR, CENT, now, r));
    SettleAck first = ask(b.system(), tenant, r -> new TenantBudget.Settle(lease.leaseId(), 1, CENT, false, now, r));

    assertThat(stored).isEqualTo(limits);
    assertThat(lease.granted()).isTrue();
    assertThat(first.open()).isTrue();
    assertThat(hosts(a.system(), tenant)).as("the entity runs in its home region").isTrue();
    assertThat(hosts(b.system(), tenant)).as("and not in the region that asked").isFalse();

    // When its home moves to b while a is up
    MoveResult moved = HomeMover.create(b.system()).move(tenant, "b").toCompletableFuture().get(30, TimeUnit.SECONDS);

    // Then a stopped its entity, every node routes to b, and b recovered limits, ledger and lease
    assertThat(moved.moved()).isTrue();
    assertThat(moved.fenced()).as("region a confirmed that its entity stopped").isTrue();
    // (a pub-sub notice: usually well under a second, but a loaded 2-core CI machine took over 5 s once)
    a.createTestProbe().awaitAssert(Duration.ofSeconds(15), () -> {
      assertThat(TenantHomes.get(a.system()).homeOf(tenant)).as("the notice reached region a").isEqualTo("b");
      return null;
    });
    SpendReport spend = ask(a.system(), tenant, r -> new TenantBudget.GetSpend(now, r));
    SettleAck settled = ask(a.system(), tenant,
        r -> new TenantBudget.Settle(lease.leaseId(), 2, CENT, true, now, r));
    SpendReport after = ask(b.system(), tenant, r -> new TenantBudget.GetSpend(now, r));

    assertThat(spend.lines()).singleElement().extracting(SpendLine::spent, SpendLine::held)
        .containsExactly(CENT.usdMicros(), DOLLAR.usdMicros() - CENT.usdMicros());
    assertThat(settled.open()).as("the lease was closed, so it was still open after the move").isFalse();
    assertThat(after.lines()).singleElement().extracting(SpendLine::spent, SpendLine::held)
        .containsExactly(2 * CENT.usdMicros(), 0L);
    assertThat(hosts(b.system(), tenant)).as("the entity now runs in b").isTrue();

    // And a node that still sends to the old home is answered by the new one
    RecipientRef<TenantBudget.Command> stale =
        ClusterSharding.get(a.system()).entityRefFor(TenantBudget.ENTITY_KEY, tenant, "a");
    SpendReport viaOldHome = AskPattern.<TenantBudget.Command, SpendReport>askWithStatus(stale,
        r -> new TenantBudget.GetSpend(now, r), ASK, a.system().scheduler()).toCompletableFuture()
        .get(ASK.toSeconds() + 5, TimeUnit.SECONDS);
    assertThat(viaOldHome).isEqualTo(after);
  }

  @Test
  void with_several_regions_the_keyspaces_replicate_per_data_center() throws Exception {
    var session = CassandraSessionRegistry.get(a.system())
        .sessionFor(CassandraSessionSettings.create("pekko.persistence.cassandra"));
    var row = session.selectOne("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?",
        "tollgate_regions_test").toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertThat(row).isPresent();
    assertThat(row.get().getMap("replication", String.class, String.class))
        .containsEntry("class", "org.apache.cassandra.locator.NetworkTopologyStrategy")
        .containsEntry("datacenter1", "1");
  }

  @Test
  void the_key_registry_runs_in_the_primary_region_and_key_changes_reach_the_other_region() throws Exception {
    KeyDirectory inA = KeyDirectory.start(a.system(), KeyStore.create(a.system()));
    inA.ready().toCompletableFuture().get(90, TimeUnit.SECONDS);
    KeyStore storeB = KeyStore.create(b.system());
    KeyAdmin adminB = new KeyAdmin(b.system(), storeB, KeyDirectory.start(b.system(), storeB), ASK);
    String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    RecipientRef<KeyRegistry.Command> registry = KeyRegistry.ref(b.system());
    AskPattern.<KeyRegistry.Command, TenantInfo>askWithStatus(registry,
        r -> new KeyRegistry.CreateTenant(tenant, "Across regions", r), ASK, b.system().scheduler())
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    CreatedKey key = adminB.create(tenant, "k", List.of(), null, null).toCompletableFuture().get(60, TimeUnit.SECONDS);
    String hash = ApiKeys.sha256Hex(key.secret());
    assertThat(inA.lookup(hash).toCompletableFuture().get(10, TimeUnit.SECONDS).active()).isTrue();

    adminB.revoke(tenant, key.info().keyId()).toCompletableFuture().get(60, TimeUnit.SECONDS);

    a.createTestProbe().awaitAssert(Duration.ofSeconds(1), () -> {
      assertThat(inA.cached(hash)).isEqualTo(KeyLookup.REVOKED);
      return null;
    });
    assertThat(hostedIds(a.system(), KeyRegistry.ENTITY_KEY)).as("the registry runs in the primary region a")
        .contains(KeyRegistry.GLOBAL_ID);
    assertThat(hostedIds(b.system(), KeyRegistry.ENTITY_KEY)).isEmpty();
  }

  private static <T> T ask(ActorSystem<?> system, String tenant,
      Function<ActorRef<StatusReply<T>>, TenantBudget.Command> message) throws Exception {
    CompletionStage<T> reply = AskPattern.askWithStatus(TenantBudget.ref(system, tenant), message, ASK,
        system.scheduler());
    return reply.toCompletableFuture().get(ASK.toSeconds() + 5, TimeUnit.SECONDS);
  }

  private static boolean hosts(ActorSystem<?> system, String tenant) throws Exception {
    return hostedIds(system, TenantBudget.ENTITY_KEY).contains(tenant);
  }

  private static Set<String> hostedIds(ActorSystem<?> system,
      org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey<?> key) throws Exception {
    ShardRegion.CurrentShardRegionState state = AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
            ShardRegion.CurrentShardRegionState>ask(ClusterSharding.get(system).shardState(),
            r -> new GetShardRegionState(key, r), ASK, system.scheduler())
        .toCompletableFuture().get(ASK.toSeconds() + 5, TimeUnit.SECONDS);
    return state.getShards().stream().flatMap(s -> s.getEntityIds().stream())
        .collect(java.util.stream.Collectors.toSet());
  }
}
