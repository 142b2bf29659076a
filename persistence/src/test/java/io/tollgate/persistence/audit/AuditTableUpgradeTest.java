package io.tollgate.persistence.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.testing.TestCassandra;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A keyspace made before team and lease_id, or before deployment, region and attempts existed (a dev
 * machine's data) keeps working.
 */
@ExtendWith(TestKitJUnit5Extension.class)
class AuditTableUpgradeTest {

  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder()
      .withName("AuditTableUpgradeTest")
      .withCustomConfig(TestCassandra.config(""))
      .build();

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @Test
  void an_audit_table_without_team_and_lease_columns_gets_them_at_start() throws Exception {
    String keyspace = "tollgate_upgrade_" + UUID.randomUUID().toString().substring(0, 8);
    CassandraSession session = CassandraSessionRegistry.get(testKit.system())
        .sessionFor(CassandraSessionSettings.create("pekko.persistence.cassandra"));
    await(session.executeDDL("CREATE KEYSPACE " + keyspace
        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"));
    try {
      await(session.executeDDL("CREATE TABLE " + keyspace + ".audit_by_tenant_day (tenant_id text, day date, "
          + "time timestamp, request_id text, key_id text, client_api text, logical_model text, provider text, "
          + "upstream_model text, input_tokens bigint, output_tokens bigint, cached_tokens bigint, "
          + "cache_write_tokens bigint, usage_estimated boolean, cost_micros bigint, latency_millis bigint, "
          + "ttft_millis bigint, status int, error_type text, streamed boolean, "
          + "PRIMARY KEY ((tenant_id, day), time, request_id)) WITH CLUSTERING ORDER BY (time DESC, request_id ASC)"));
      AuditStore store = AuditStore.create(testKit.system(),
          AuditSettings.from(testKit.system().settings().config()).withKeyspace(keyspace));
      AuditRecord r = new AuditRecord("req-1", Instant.parse("2025-01-02T03:04:05.006Z"), "t-1", "key", "openai",
          "m", "p", "u", 1, 2, 0, 0, false, 3, 4, 5, 200, null, false, "team-a", "lease-a");

      await(store.ready());
      await(store.write(r));

      assertThat(await(store.forTenantDay("t-1", LocalDate.of(2025, 1, 2)))).containsExactly(r);
    } finally {
      await(session.executeDDL("DROP KEYSPACE IF EXISTS " + keyspace));
    }
  }

  @Test
  void a_row_written_before_the_routing_columns_existed_reads_with_no_deployment_and_zero_attempts() throws Exception {
    String keyspace = "tollgate_upgrade_" + UUID.randomUUID().toString().substring(0, 8);
    CassandraSession session = CassandraSessionRegistry.get(testKit.system())
        .sessionFor(CassandraSessionSettings.create("pekko.persistence.cassandra"));
    await(session.executeDDL("CREATE KEYSPACE " + keyspace
        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"));
    try {
      await(session.executeDDL("CREATE TABLE " + keyspace + ".audit_by_tenant_day (tenant_id text, day date, "
          + "time timestamp, request_id text, key_id text, client_api text, logical_model text, provider text, "
          + "upstream_model text, input_tokens bigint, output_tokens bigint, cached_tokens bigint, "
          + "cache_write_tokens bigint, usage_estimated boolean, cost_micros bigint, latency_millis bigint, "
          + "ttft_millis bigint, status int, error_type text, streamed boolean, team text, lease_id text, "
          + "PRIMARY KEY ((tenant_id, day), time, request_id)) WITH CLUSTERING ORDER BY (time DESC, request_id ASC)"));
      // A row as a node of the previous version wrote it.
      Instant oldTime = Instant.parse("2025-01-02T03:04:05.006Z");
      await(session.executeWrite("INSERT INTO " + keyspace + ".audit_by_tenant_day (tenant_id, day, time, request_id, "
          + "key_id, client_api, logical_model, provider, upstream_model, input_tokens, output_tokens, cached_tokens, "
          + "cache_write_tokens, usage_estimated, cost_micros, latency_millis, ttft_millis, status, streamed, team, "
          + "lease_id) VALUES ('t-1', '2025-01-02', " + oldTime.toEpochMilli() + ", 'req-old', 'key', 'openai', 'm', "
          + "'p', 'u', 1, 2, 0, 0, false, 3, 4, 5, 200, false, 'team-a', 'lease-a')"));
      AuditStore store = AuditStore.create(testKit.system(),
          AuditSettings.from(testKit.system().settings().config()).withKeyspace(keyspace));
      AuditRecord fresh = new AuditRecord("req-new", Instant.parse("2025-01-02T03:04:06Z"), "t-1", "key", "openai",
          "m", "p", "u", 1, 2, 0, 0, false, 3, 4, 5, 200, null, false, "team-a", "lease-a", "dep-b", "us-east", 2);

      await(store.ready());
      await(store.write(fresh));

      AuditRecord old = new AuditRecord("req-old", oldTime, "t-1", "key", "openai",
          "m", "p", "u", 1, 2, 0, 0, false, 3, 4, 5, 200, null, false, "team-a", "lease-a");
      assertThat(await(store.forTenantDay("t-1", LocalDate.of(2025, 1, 2)))).containsExactly(fresh, old);
      assertThat(old.deployment()).isNull();
      assertThat(old.region()).isNull();
      assertThat(old.attempts()).isZero();
    } finally {
      await(session.executeDDL("DROP KEYSPACE IF EXISTS " + keyspace));
    }
  }
}
