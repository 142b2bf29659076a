package io.tollgate.persistence.tenantadmin;

import static io.tollgate.persistence.testing.StoreTestKit.await;
import static io.tollgate.persistence.testing.StoreTestKit.freshTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.audit.AuditSettings;
import io.tollgate.persistence.testing.StoreTestKit;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tenant admin tokens on the test Cassandra; two stores stand for two nodes. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminTokenStoreTest {

  @JUnit5TestKit
  ActorTestKit testKit = StoreTestKit.onTestCassandra("AdminTokenStoreTest");

  private final AtomicLong otherNodeClock = new AtomicLong();
  private AdminTokenStore tokens;
  private AdminTokenStore otherNode;

  @BeforeAll
  void createStores() throws Exception {
    AuditSettings settings = AuditSettings.from(testKit.system().settings().config());
    tokens = AdminTokenStore.create(testKit.system());
    otherNode = AdminTokenStore.create(testKit.system(), settings, Duration.ofSeconds(10), otherNodeClock::get);
    await(tokens.ready());
    await(otherNode.ready());
  }

  @Test
  void a_new_token_belongs_to_its_tenant_on_every_node() throws Exception {
    String tenant = freshTenant();

    CreatedAdminToken created = await(tokens.create(tenant, "finops"));

    assertThat(created.secret()).startsWith("tga_").hasSizeGreaterThan(40);
    assertThat(created.info().tenantId()).isEqualTo(tenant);
    assertThat(created.info().name()).isEqualTo("finops");
    assertThat(created.toString()).doesNotContain(created.secret());
    assertThat(await(tokens.tenantOf(created.secret()))).contains(tenant);
    assertThat(await(otherNode.tenantOf(created.secret()))).contains(tenant);
  }

  @Test
  void unknown_or_foreign_shaped_secrets_belong_to_no_tenant() throws Exception {
    String tenant = freshTenant();
    CreatedAdminToken created = await(tokens.create(tenant, "a"));

    assertThat(await(tokens.tenantOf(created.secret() + "x"))).isEmpty();
    assertThat(await(tokens.tenantOf("tga_" + UUID.randomUUID()))).isEmpty();
    assertThat(await(tokens.tenantOf("tg_not-an-admin-token"))).isEmpty();
    assertThat(await(tokens.tenantOf(null))).isEmpty();
  }

  @Test
  void stores_only_the_hash_of_the_secret() throws Exception {
    String tenant = freshTenant();
    CreatedAdminToken created = await(tokens.create(tenant, "a"));

    var session = CassandraSessionRegistry.get(testKit.system())
        .sessionFor(CassandraSessionSettings.create("pekko.persistence.cassandra"));
    var rows = await(session.selectAll(
        "SELECT token_hash, token_id, name FROM tollgate_test.tenant_admin_tokens WHERE tenant_id = ?", tenant));

    assertThat(rows).hasSize(1);
    String stored = rows.get(0).getString("token_hash") + rows.get(0).getString("token_id") + rows.get(0).getString("name");
    assertThat(stored).doesNotContain(created.secret()).doesNotContain(created.secret().substring(4, 20));
    assertThat(rows.get(0).getString("token_hash")).isEqualTo(AdminTokenStore.hash(created.secret())).hasSize(64);
  }

  @Test
  void lists_a_tenants_tokens_without_secrets_and_revokes_one() throws Exception {
    String tenant = freshTenant();
    CreatedAdminToken kept = await(tokens.create(tenant, "kept"));
    CreatedAdminToken revoked = await(tokens.create(tenant, "revoked"));
    await(tokens.create(freshTenant(), "someone else's"));

    List<AdminToken> listed = await(tokens.list(tenant));
    assertThat(listed).extracting(AdminToken::name).containsExactlyInAnyOrder("kept", "revoked");

    assertThat(await(tokens.revoke(tenant, revoked.info().tokenId()))).isTrue();
    assertThat(await(tokens.revoke(tenant, "tat_missing"))).isFalse();
    assertThat(await(tokens.revoke(freshTenant(), kept.info().tokenId()))).as("another tenant's token").isFalse();

    assertThat(await(tokens.tenantOf(revoked.secret()))).isEmpty();
    assertThat(await(tokens.tenantOf(kept.secret()))).contains(tenant);
    assertThat(await(tokens.list(tenant))).extracting(AdminToken::name).containsExactly("kept");
  }

  @Test
  void another_node_stops_accepting_a_revoked_token_when_its_cache_expires() throws Exception {
    String tenant = freshTenant();
    CreatedAdminToken created = await(tokens.create(tenant, "a"));
    assertThat(await(otherNode.tenantOf(created.secret()))).contains(tenant);

    await(tokens.revoke(tenant, created.info().tokenId()));

    assertThat(await(otherNode.tenantOf(created.secret()))).as("still cached").contains(tenant);
    otherNodeClock.addAndGet(Duration.ofSeconds(11).toNanos());
    assertThat(await(otherNode.tenantOf(created.secret()))).isEqualTo(Optional.empty());
  }

  @Test
  void a_forged_or_unsigned_token_is_refused_at_once_without_a_lookup() throws Exception {
    String tenant = freshTenant();
    CreatedAdminToken real = await(tokens.create(tenant, "real"));
    String[] parts = real.secret().substring(4).split("\\.");
    String forgedTag = "tga_" + parts[0] + "." + parts[1] + "." + parts[2] + "." + "A".repeat(parts[3].length());
    String unsigned = "tga_" + "x".repeat(43);

    for (String presented : List.of(forgedTag, unsigned, "tga_" + UUID.randomUUID())) {
      var answer = otherNode.tenantOf(presented).toCompletableFuture();
      assertThat(answer).as("answered before any read could have been made: %s", presented).isDone();
      assertThat(answer.get()).isEmpty();
    }
    assertThat(await(otherNode.tenantOf(real.secret()))).contains(tenant);
  }
}
