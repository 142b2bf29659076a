package io.tollgate.persistence.tenantadmin;

import static io.tollgate.persistence.testing.StoreTestKit.await;
import static io.tollgate.persistence.testing.StoreTestKit.freshTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.audit.AuditSettings;
import io.tollgate.persistence.testing.StoreTestKit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantRoutingStoreTest {

  @JUnit5TestKit
  ActorTestKit testKit = StoreTestKit.onTestCassandra("TenantRoutingStoreTest");

  private final AtomicLong otherNodeClock = new AtomicLong();
  private TenantRoutingStore routing;
  private TenantRoutingStore otherNode;

  @BeforeAll
  void createStores() throws Exception {
    routing = TenantRoutingStore.create(testKit.system());
    otherNode = TenantRoutingStore.create(testKit.system(),
        AuditSettings.from(testKit.system().settings().config()), Duration.ofSeconds(10), otherNodeClock::get);
    await(routing.ready());
    await(otherNode.ready());
  }

  /** Reads what Cassandra holds now, past the other node's cache. */
  private TenantRouting readFromCassandra(String tenant) throws Exception {
    otherNodeClock.addAndGet(Duration.ofSeconds(11).toNanos());
    return await(otherNode.get(tenant));
  }

  @Test
  void a_tenant_without_a_policy_may_use_every_deployment() throws Exception {
    String tenant = freshTenant();

    TenantRouting policy = await(routing.get(tenant));

    assertThat(policy).isEqualTo(TenantRouting.defaults(tenant));
    assertThat(policy.allows("gpt-4o", "any-deployment")).isTrue();
    assertThat(policy.keyMayChooseStrategy("key-1")).isFalse();
  }

  @Test
  void a_policy_round_trips_through_cassandra() throws Exception {
    String tenant = freshTenant();
    TenantRouting wanted = new TenantRouting(tenant,
        Map.of("gpt-4o", List.of("azure-eu", "openai-us"), "claude", List.of("anthropic-eu")),
        Map.of("embed", "openai-embed-eu"),
        List.of("key-a", "key-b"),
        null);

    TenantRouting stored = await(routing.update(wanted));
    TenantRouting read = readFromCassandra(tenant);

    assertThat(stored.updatedAt()).isNotNull();
    assertThat(read).isEqualTo(stored);
    assertThat(read.allowedDeployments().get("gpt-4o")).containsExactly("azure-eu", "openai-us");
    assertThat(read.allows("gpt-4o", "openai-us")).isTrue();
    assertThat(read.allows("gpt-4o", "gemini-us")).isFalse();
    assertThat(read.allows("embed", "openai-embed-us")).isFalse();
    assertThat(read.keyMayChooseStrategy("key-b")).isTrue();
  }

  @Test
  void a_new_policy_replaces_the_old_one_whole() throws Exception {
    String tenant = freshTenant();
    await(routing.update(new TenantRouting(tenant, Map.of("gpt-4o", List.of("azure-eu")), Map.of("claude", "anthropic-eu"),
        List.of("*"), null)));

    await(routing.update(new TenantRouting(tenant, Map.of(), Map.of(), List.of(), null)));
    TenantRouting read = readFromCassandra(tenant);

    assertThat(read.allowedDeployments()).isEmpty();
    assertThat(read.pinned()).isEmpty();
    assertThat(read.strategyKeys()).isEmpty();
    assertThat(read.updatedAt()).isNotNull();
  }

  @Test
  void a_change_applies_at_once_on_this_node_and_after_the_cache_ttl_on_others() throws Exception {
    String tenant = freshTenant();
    assertThat(await(otherNode.get(tenant)).pinned()).isEmpty();

    TenantRouting updated = await(routing.update(new TenantRouting(tenant, Map.of(), Map.of("gpt-4o", "azure-eu"),
        List.of(), null)));

    assertThat(await(routing.get(tenant))).isEqualTo(updated);
    assertThat(await(otherNode.get(tenant)).pinned()).as("still cached on the other node, Cassandra not read").isEmpty();
    otherNodeClock.addAndGet(Duration.ofSeconds(11).toNanos());
    assertThat(await(otherNode.get(tenant))).isEqualTo(updated);
  }
}
