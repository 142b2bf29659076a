package io.tollgate.persistence.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuditSchemaTest {

  @Test
  void renders_the_ddl_for_the_configured_keyspace_and_replication() {
    List<String> statements = AuditSchema.statements("audit_ks", 3);

    assertThat(statements).hasSize(2);
    assertThat(statements.get(0))
        .startsWith("CREATE KEYSPACE IF NOT EXISTS audit_ks")
        .contains("{'class': 'SimpleStrategy', 'replication_factor': 3}");
    assertThat(statements.get(1))
        .startsWith("CREATE TABLE IF NOT EXISTS audit_ks.audit_by_tenant_day")
        .contains("PRIMARY KEY ((tenant_id, day), time, request_id)")
        .contains("CLUSTERING ORDER BY (time DESC");
    assertThat(String.join("\n", statements)).doesNotContain("${").doesNotContain("--");
  }

  @Test
  void refuses_a_keyspace_name_that_is_not_a_plain_identifier() {
    assertThatThrownBy(() -> AuditSchema.statements("x; DROP KEYSPACE y", 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
