package io.tollgate.persistence.audit;

import static io.tollgate.persistence.testing.StoreTestKit.await;
import static io.tollgate.persistence.testing.StoreTestKit.freshTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.tenantadmin.TenantSettingsStore;
import io.tollgate.persistence.testing.StoreTestKit;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Request and response bodies: stored only after the tenant opted in, redacted and cut at 64 KiB. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditBodiesTest {
  private static final Instant TIME = Instant.parse("2025-05-06T07:08:09.010Z");
  private static final LocalDate DAY = LocalDate.of(2025, 5, 6);
  private static final String REQUEST =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Mail me at ann@example.org\"}]}";
  private static final String RESPONSE = "{\"choices\":[{\"message\":{\"content\":\"Sure, Ann. Call +44 20 7183 8750.\"}}]}";

  @JUnit5TestKit
  ActorTestKit testKit = StoreTestKit.onTestCassandra("AuditBodiesTest");

  private AuditStore store;
  private TenantSettingsStore settings;
  private AuditBodies bodies;

  @BeforeAll
  void createStores() throws Exception {
    store = AuditStore.create(testKit.system());
    settings = TenantSettingsStore.create(testKit.system());
    bodies = new AuditBodies(store, settings::storesBodies);
    await(store.ready());
    await(settings.ready());
  }

  @Test
  void stores_nothing_until_the_tenant_opts_in_and_redacted_bodies_after() throws Exception {
    String tenant = freshTenant();

    assertThat(await(bodies.capture(tenant, "req-before", TIME, REQUEST, RESPONSE))).isFalse();
    await(settings.update(tenant, true));
    assertThat(await(bodies.capture(tenant, "req-after", TIME, REQUEST, RESPONSE))).isTrue();

    assertThat(await(store.bodies(tenant, DAY, "req-before"))).isEmpty();
    StoredBodies stored = await(store.bodies(tenant, DAY, "req-after")).orElseThrow();
    assertThat(stored.requestBody()).contains("\"model\":\"gpt-4o-mini\"", "Mail me at [REDACTED:email]")
        .doesNotContain("ann@example.org");
    assertThat(stored.responseBody()).contains("Sure, Ann. Call [REDACTED:phone].").doesNotContain("7183");
    assertThat(stored.requestTruncated()).isFalse();
    assertThat(stored.responseTruncated()).isFalse();
  }

  @Test
  void stops_storing_when_the_tenant_opts_out_again() throws Exception {
    String tenant = freshTenant();
    await(settings.update(tenant, true));
    await(settings.update(tenant, false));

    assertThat(await(bodies.capture(tenant, "req-1", TIME, REQUEST, RESPONSE))).isFalse();
    assertThat(await(store.bodies(tenant, DAY, "req-1"))).isEmpty();
  }

  @Test
  void another_tenants_opt_in_does_not_store_this_tenants_bodies() throws Exception {
    String optedIn = freshTenant();
    String other = freshTenant();
    await(settings.update(optedIn, true));

    assertThat(await(bodies.capture(other, "req-1", TIME, REQUEST, RESPONSE))).isFalse();
    assertThat(await(store.bodies(other, DAY, "req-1"))).isEqualTo(Optional.empty());
  }

  @Test
  void cuts_a_long_response_at_64_kib_and_says_so() throws Exception {
    String tenant = freshTenant();
    await(settings.update(tenant, true));
    String longAnswer = "é".repeat(40_000) + " and then more";

    assertThat(await(bodies.capture(tenant, "req-long", TIME, null, longAnswer))).isTrue();

    StoredBodies stored = await(store.bodies(tenant, DAY, "req-long")).orElseThrow();
    assertThat(stored.requestBody()).isNull();
    assertThat(stored.responseTruncated()).isTrue();
    assertThat(stored.responseBody().getBytes(StandardCharsets.UTF_8)).hasSize(AuditBodies.MAX_BODY_BYTES);
    assertThat(stored.responseBody()).matches("é+");
  }

  @Test
  void cutting_never_splits_a_character_and_leaves_short_texts_whole() {
    String emoji = "a" + "😀".repeat(20_000);

    AuditBodies.Cut cut = AuditBodies.cut(emoji);

    assertThat(cut.truncated()).isTrue();
    byte[] bytes = cut.text().getBytes(StandardCharsets.UTF_8);
    assertThat(bytes.length).isLessThanOrEqualTo(AuditBodies.MAX_BODY_BYTES).isGreaterThan(AuditBodies.MAX_BODY_BYTES - 4);
    assertThat(cut.text()).startsWith("a😀").doesNotContain("\uFFFD");
    assertThat(AuditBodies.cut("short")).isEqualTo(new AuditBodies.Cut("short", false));
    assertThat(AuditBodies.cut(null)).isEqualTo(new AuditBodies.Cut(null, false));
  }
}
