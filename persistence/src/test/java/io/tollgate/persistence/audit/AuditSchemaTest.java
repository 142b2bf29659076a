package io.tollgate.persistence.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuditSchemaTest {

  @Test
  void renders_the_ddl_for_the_configured_keyspace_and_replication() {
    List<String> statements = AuditSchema.statements("audit_ks", 3);

    assertThat(statements.get(0))
        .startsWith("CREATE KEYSPACE IF NOT EXISTS audit_ks")
        .contains("{'class': 'SimpleStrategy', 'replication_factor': 3}");
    assertThat(statements.get(1))
        .startsWith("CREATE TABLE IF NOT EXISTS audit_ks.audit_by_tenant_day")
        .contains("PRIMARY KEY ((tenant_id, day), time, request_id)")
        .contains("CLUSTERING ORDER BY (time DESC")
        .contains("team ", "lease_id ", "deployment ", "region ", "attempts ");
    assertThat(String.join("\n", statements)).doesNotContain("${").doesNotContain("--");
  }

  @Test
  void creates_the_calls_by_lease_table_keyed_by_lease() {
    assertThat(AuditSchema.statements("audit_ks", 1)).anySatisfy(s -> assertThat(s)
        .startsWith("CREATE TABLE IF NOT EXISTS audit_ks.calls_by_lease")
        .contains("PRIMARY KEY ((tenant_id, lease_id), request_id)")
        .contains("worst_usd_micros ", "worst_tokens ", "final_cost_micros ", "final_tokens ", "lost "));
  }

  @Test
  void creates_the_body_and_tenant_admin_tables_and_upgrades_an_older_audit_table() {
    List<String> statements = AuditSchema.statements("audit_ks", 1);

    assertThat(statements).anySatisfy(s -> assertThat(s)
        .startsWith("ALTER TABLE audit_ks.audit_by_tenant_day ADD IF NOT EXISTS").contains("team text", "lease_id text"));
    assertThat(statements).anySatisfy(s -> assertThat(s)
        .startsWith("ALTER TABLE audit_ks.audit_by_tenant_day ADD IF NOT EXISTS")
        .contains("deployment text", "region text", "attempts int"));
    assertThat(statements).anySatisfy(s -> assertThat(s)
        .startsWith("CREATE TABLE IF NOT EXISTS audit_ks.audit_bodies_by_tenant_day")
        .contains("PRIMARY KEY ((tenant_id, day), request_id)"));
    assertThat(statements).anySatisfy(s -> assertThat(s)
        .startsWith("CREATE TABLE IF NOT EXISTS audit_ks.tenant_admin_tokens").contains("token_hash"));
    assertThat(statements).anySatisfy(s -> assertThat(s)
        .startsWith("CREATE INDEX IF NOT EXISTS tenant_admin_tokens_by_tenant ON audit_ks.tenant_admin_tokens"));
    assertThat(statements).anySatisfy(s -> assertThat(s)
        .startsWith("CREATE TABLE IF NOT EXISTS audit_ks.tenant_settings").contains("store_bodies"));
  }

  @Test
  void refuses_a_keyspace_name_that_is_not_a_plain_identifier() {
    assertThatThrownBy(() -> AuditSchema.statements("x; DROP KEYSPACE y", 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
