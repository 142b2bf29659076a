package io.tollgate.persistence.audit;

import static io.tollgate.persistence.testing.StoreTestKit.await;
import static io.tollgate.persistence.testing.StoreTestKit.freshTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.testing.StoreTestKit;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The audit table on the test Cassandra. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditStoreTest {
  private static final Instant NOON = Instant.parse("2025-03-04T12:00:00.123Z");
  private static final LocalDate DAY = LocalDate.of(2025, 3, 4);

  @JUnit5TestKit
  ActorTestKit testKit = StoreTestKit.onTestCassandra("AuditStoreTest");

  private AuditStore store;

  @BeforeAll
  void createStore() throws Exception {
    store = AuditStore.create(testKit.system());
    await(store.ready());
  }

  private static AuditRecord record(String tenant, String requestId, Instant time) {
    return new AuditRecord(requestId, time, tenant, "key_abc", "openai", "demo-openai", "fake-openai",
        "gpt-4o-mini", 120, 30, 20, 0, false, 1234, 850, 210, 200, null, true, null, null);
  }

  @Test
  void reads_back_a_tenants_day_newest_first_with_every_field() throws Exception {
    String tenant = freshTenant();
    AuditRecord early = record(tenant, "req-1", NOON);
    AuditRecord late = new AuditRecord("req-2", NOON.plusSeconds(60), tenant, "key_abc", "anthropic", "demo-anthropic",
        null, null, 7, 0, 0, 3, true, 0, 12, -1, 502, "upstream_error", false, null, null);

    await(store.write(early));
    await(store.write(late));

    assertThat(await(store.forTenantDay(tenant, DAY))).containsExactly(late, early);
    assertThat(await(store.forTenantDay(tenant, DAY, 1))).containsExactly(late);
  }

  @Test
  void writing_the_same_record_twice_keeps_one_row() throws Exception {
    String tenant = freshTenant();
    AuditRecord r = record(tenant, "req-1", NOON);

    await(store.write(r));
    await(store.write(r));

    assertThat(await(store.forTenantDay(tenant, DAY))).containsExactly(r);
  }

  @Test
  void a_tenant_sees_neither_other_tenants_records_nor_other_days() throws Exception {
    String mine = freshTenant();
    String theirs = freshTenant();
    AuditRecord today = record(mine, "req-1", NOON);
    AuditRecord tomorrow = record(mine, "req-2", NOON.plus(1, ChronoUnit.DAYS));
    AuditRecord other = record(theirs, "req-3", NOON);

    await(store.write(today));
    await(store.write(tomorrow));
    await(store.write(other));

    assertThat(await(store.forTenantDay(mine, DAY))).containsExactly(today);
    assertThat(await(store.forTenantDay(mine, DAY.plusDays(1)))).containsExactly(tomorrow);
    assertThat(await(store.forTenantDay(theirs, DAY))).containsExactly(other);
    assertThat(await(store.byRequestId(theirs, DAY, "req-1"))).isEmpty();
  }

  @Test
  void finds_a_record_by_request_id_within_its_day() throws Exception {
    String tenant = freshTenant();
    AuditRecord wanted = record(tenant, "req-wanted", NOON);
    await(store.write(record(tenant, "req-before", NOON.minusSeconds(5))));
    await(store.write(wanted));

    assertThat(await(store.byRequestId(tenant, DAY, "req-wanted"))).contains(wanted);
    assertThat(await(store.byRequestId(tenant, DAY, "req-missing"))).isEmpty();
  }

  @Test
  void a_record_late_in_the_utc_day_lands_in_that_days_partition() throws Exception {
    String tenant = freshTenant();
    AuditRecord r = record(tenant, "req-1", Instant.parse("2025-03-04T23:59:59.999Z"));

    await(store.write(r));

    assertThat(r.day()).isEqualTo(DAY);
    assertThat(await(store.forTenantDay(tenant, DAY))).containsExactly(r);
    assertThat(await(store.forTenantDay(tenant, DAY.plusDays(1)))).isEmpty();
  }

  @Test
  void the_writer_writes_every_record_it_accepts_and_counts_the_rest() throws Exception {
    String tenant = freshTenant();
    AuditWriter writer = AuditWriter.start(testKit.system(), store, 4, 1);
    int offered = 200;
    int accepted = 0;
    for (int i = 0; i < offered; i++) {
      if (writer.offer(record(tenant, "req-" + i, NOON.plusMillis(i)))) {
        accepted++;
      }
    }

    await(writer.complete());

    assertThat(accepted + writer.dropped()).isEqualTo(offered);
    assertThat(writer.dropped()).isPositive();
    assertThat(await(store.forTenantDay(tenant, DAY))).hasSize(accepted);
    assertThat(writer.offer(record(tenant, "req-after-close", NOON))).isFalse();
  }

  @Test
  void keeps_the_team_and_lease_of_a_call_and_leaves_them_null_for_old_style_records() throws Exception {
    String tenant = freshTenant();
    AuditRecord withLease = new AuditRecord("req-1", NOON, tenant, "key_abc", "openai", "demo-openai", "fake-openai",
        "gpt-4o-mini", 120, 30, 0, 0, false, 1234, 850, 210, 200, null, true, "team-red", "lease-1");
    AuditRecord plain = record(tenant, "req-2", NOON.plusSeconds(1));

    await(store.write(withLease));
    await(store.write(plain));

    assertThat(await(store.forTenantDay(tenant, DAY))).containsExactly(plain, withLease);
    assertThat(plain.team()).isNull();
    assertThat(plain.leaseId()).isNull();
  }

  @Test
  void keeps_the_deployment_region_and_attempts_of_a_failed_over_call() throws Exception {
    String tenant = freshTenant();
    AuditRecord failedOver = new AuditRecord("req-1", NOON, tenant, "key_abc", "openai", "ha-chat", "fake-openai",
        "gpt-4o-mini", 120, 30, 0, 0, false, 1234, 850, 210, 200, null, true, null, "lease-1",
        "azure-eu-west", "eu-west", 3);
    AuditRecord global = new AuditRecord("req-2", NOON.plusSeconds(1), tenant, "key_abc", "openai", "ha-chat",
        "fake-openai", "gpt-4o-mini", 10, 5, 0, 0, false, 50, 40, -1, 200, null, false, null, null,
        "openai-global", AuditRecord.GLOBAL_REGION, 1);
    AuditRecord unresolved = new AuditRecord("req-3", NOON.plusSeconds(2), tenant, "key_abc", "openai", "nope",
        null, null, 0, 0, 0, 0, false, 0, 3, -1, 404, "model_not_found", false, null, null, null, null, 0);

    await(store.write(failedOver));
    await(store.write(global));
    await(store.write(unresolved));

    assertThat(await(store.forTenantDay(tenant, DAY))).containsExactly(unresolved, global, failedOver);
    AuditRecord read = await(store.byRequestId(tenant, DAY, "req-1")).orElseThrow();
    assertThat(read.deployment()).isEqualTo("azure-eu-west");
    assertThat(read.region()).isEqualTo("eu-west");
    assertThat(read.attempts()).isEqualTo(3);
    assertThat(await(store.records(tenant, AuditRange.days(DAY, DAY), AuditFilter.ALL.withDeployment("openai-global"),
        null).runWith(Sink.seq(), testKit.system()))).containsExactly(global);
  }

  @Test
  void stores_and_reads_back_a_calls_bodies() throws Exception {
    String tenant = freshTenant();
    StoredBodies bodies = new StoredBodies(tenant, "req-1", NOON, "{\"model\":\"m\"}", "{\"id\":\"x\"}", false, true);

    await(store.writeBodies(bodies));

    assertThat(await(store.bodies(tenant, DAY, "req-1"))).contains(bodies);
    assertThat(await(store.bodies(tenant, DAY, "req-2"))).isEmpty();
    assertThat(await(store.bodies(freshTenant(), DAY, "req-1"))).isEmpty();
  }
}
