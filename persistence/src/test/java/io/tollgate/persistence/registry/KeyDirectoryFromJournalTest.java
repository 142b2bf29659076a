package io.tollgate.persistence.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.persistence.testing.TestCassandra;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;

/**
 * A node that starts while the key registry's region is down: its directory does not wait for the
 * registry forever but loads the keys from the registry's journal, so the node can serve.
 */
class KeyDirectoryFromJournalTest {
  private static final Duration ASK = Duration.ofSeconds(30);

  @Test
  void a_node_starting_while_the_registry_region_is_down_loads_the_keys_from_the_journal() throws Exception {
    // Given keys made through a registry in region a, which then goes away entirely
    Written written = writeKeysInRegionA();

    // When a node of region b starts: the registry lives only in a, where no member is left
    ActorTestKit b = ActorTestKit.create("KeyDirectoryFromJournalTest", TestCassandra.config("""
        pekko.cluster.multi-data-center.self-data-center = b
        tollgate.regions.all = [a, b]
        tollgate.regions.primary = a
        tollgate.regions.replication { datacenter1 = 1 }
        tollgate.cassandra.keyspace = tollgate_regions_test
        tollgate.registry.bootstrap-from-journal-after = 2s
        """));
    try {
      joinItself(b);
      KeyDirectory directory = KeyDirectory.start(b.system(), Duration.ofSeconds(3));

      // Then the directory becomes ready although the registry cannot answer
      directory.ready().toCompletableFuture().get(90, TimeUnit.SECONDS);
      assertThatThrownBy(() -> AskPattern.<KeyRegistry.Command, RegistrySnapshot>ask(KeyRegistry.ref(b.system()),
              KeyRegistry.GetSnapshot::new, Duration.ofSeconds(2), b.scheduler())
          .toCompletableFuture().get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class);
      // and knows every key as the registry last did: the active one usable, the revoked one refused
      assertThat(directory.lookup(ApiKeys.sha256Hex(written.active().secret())))
          .hasValueSatisfying(k -> {
            assertThat(k.keyId()).isEqualTo(written.active().info().keyId());
            assertThat(k.tenantId()).isEqualTo(written.tenant());
            assertThat(k.revoked()).isFalse();
          });
      assertThat(directory.lookup(ApiKeys.sha256Hex(written.revoked().secret())))
          .hasValueSatisfying(k -> assertThat(k.revoked()).isTrue());
      assertThat(directory.lookup(ApiKeys.sha256Hex("tg_never_issued_0123456789"))).isEmpty();
      assertThat(directory.version()).isEqualTo(written.snapshot().version());
      assertThat(directory.size()).isEqualTo(written.snapshot().keys().size());
    } finally {
      // A node of region b with no member of the primary region leaves the cluster slowly (its
      // coordinated shutdown waits on the unreachable region): give it time, and never fail the
      // test on a slow teardown after its assertions ran.
      ActorTestKit.shutdown(b.system(), java.time.Duration.ofSeconds(30), false);
    }
  }

  private record Written(String tenant, CreatedKey active, CreatedKey revoked, RegistrySnapshot snapshot) {}

  /** Creates a tenant with an active and a revoked key through a one-node region, then terminates it. */
  private static Written writeKeysInRegionA() throws Exception {
    ActorTestKit a = ActorTestKit.create("KeyDirectoryFromJournalTestWriter", TestCassandra.config(""));
    try {
      joinItself(a);
      KeyRegistry.init(a.system());
      String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
      AskPattern.<KeyRegistry.Command, TenantInfo>askWithStatus(KeyRegistry.ref(a.system()),
              r -> new KeyRegistry.CreateTenant(tenant, "Journal tenant", r), ASK, a.scheduler())
          .toCompletableFuture().get(90, TimeUnit.SECONDS);
      CreatedKey active = newKey(a, tenant, "active");
      CreatedKey revoked = newKey(a, tenant, "revoked");
      AskPattern.<KeyRegistry.Command, KeyInfo>askWithStatus(KeyRegistry.ref(a.system()),
              r -> new KeyRegistry.RevokeKey(tenant, revoked.info().keyId(), r), ASK, a.scheduler())
          .toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
      RegistrySnapshot snapshot = AskPattern.<KeyRegistry.Command, RegistrySnapshot>ask(KeyRegistry.ref(a.system()),
              KeyRegistry.GetSnapshot::new, ASK, a.scheduler())
          .toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
      return new Written(tenant, active, revoked, snapshot);
    } finally {
      a.shutdownTestKit();
    }
  }

  private static CreatedKey newKey(ActorTestKit node, String tenant, String name) throws Exception {
    return AskPattern.<KeyRegistry.Command, CreatedKey>askWithStatus(KeyRegistry.ref(node.system()),
            r -> new KeyRegistry.CreateKey(tenant, name, List.of(), null, r), ASK, node.scheduler())
        .toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
  }

  private static void joinItself(ActorTestKit node) {
    Cluster cluster = Cluster.get(node.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    node.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertThat(cluster.selfMember().status()).isEqualTo(MemberStatus.up());
      return null;
    });
  }
}
