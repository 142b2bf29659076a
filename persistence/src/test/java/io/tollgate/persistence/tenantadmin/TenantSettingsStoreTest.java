package io.tollgate.persistence.tenantadmin;

import static io.tollgate.persistence.testing.StoreTestKit.await;
import static io.tollgate.persistence.testing.StoreTestKit.freshTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.audit.AuditSettings;
import io.tollgate.persistence.testing.StoreTestKit;
import java.time.Duration;
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
class TenantSettingsStoreTest {

  @JUnit5TestKit
  ActorTestKit testKit = StoreTestKit.onTestCassandra("TenantSettingsStoreTest");

  private final AtomicLong otherNodeClock = new AtomicLong();
  private TenantSettingsStore settings;
  private TenantSettingsStore otherNode;

  @BeforeAll
  void createStores() throws Exception {
    settings = TenantSettingsStore.create(testKit.system());
    otherNode = TenantSettingsStore.create(testKit.system(),
        AuditSettings.from(testKit.system().settings().config()), Duration.ofSeconds(10), otherNodeClock::get);
    await(settings.ready());
    await(otherNode.ready());
  }

  @Test
  void bodies_are_not_stored_by_default() throws Exception {
    String tenant = freshTenant();

    assertThat(await(settings.get(tenant))).isEqualTo(TenantSettings.defaults(tenant));
    assertThat(await(settings.storesBodies(tenant))).isFalse();
  }

  @Test
  void an_opt_in_applies_at_once_on_this_node_and_after_the_cache_ttl_on_others() throws Exception {
    String tenant = freshTenant();
    assertThat(await(otherNode.storesBodies(tenant))).isFalse();

    TenantSettings updated = await(settings.update(tenant, true));

    assertThat(updated.storeBodies()).isTrue();
    assertThat(updated.updatedAt()).isNotNull();
    assertThat(await(settings.storesBodies(tenant))).isTrue();
    assertThat(await(otherNode.storesBodies(tenant))).as("cached on the other node").isFalse();
    otherNodeClock.addAndGet(Duration.ofSeconds(11).toNanos());
    assertThat(await(otherNode.get(tenant))).isEqualTo(updated);
  }
}
