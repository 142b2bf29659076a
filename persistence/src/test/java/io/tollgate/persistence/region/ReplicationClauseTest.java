package io.tollgate.persistence.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicationClauseTest {

  private static String clause(String hocon) {
    return ReplicationClause.from(ConfigFactory.parseString(hocon
        + "\npekko.cluster.multi-data-center.self-data-center = a"));
  }

  @Test
  void one_region_keeps_simple_strategy_with_the_configured_factor() {
    assertThat(clause("tollgate.cassandra.replication-factor = 3"))
        .isEqualTo("{'class': 'SimpleStrategy', 'replication_factor': 3}");
    assertThat(clause("")).isEqualTo("{'class': 'SimpleStrategy', 'replication_factor': 1}");
  }

  @Test
  void several_regions_use_network_topology_with_the_factor_of_each_data_center() {
    assertThat(clause("tollgate.regions { all = [a, b], replication { us-east = 3, eu-west = 2 } }"))
        .isEqualTo("{'class': 'NetworkTopologyStrategy', 'eu-west': 2, 'us-east': 3}");
  }

  @Test
  void several_regions_without_a_map_replicate_to_each_region_by_name() {
    assertThat(clause("tollgate.regions.all = [a, b]\ntollgate.cassandra.replication-factor = 3"))
        .isEqualTo("{'class': 'NetworkTopologyStrategy', 'a': 3, 'b': 3}");
  }

  @Test
  void a_keyspace_statement_carries_the_clause() {
    assertThat(ReplicationClause.createKeyspace("tollgate_journal", ReplicationClause.simple(1)))
        .isEqualTo("CREATE KEYSPACE IF NOT EXISTS tollgate_journal WITH replication = "
            + "{'class': 'SimpleStrategy', 'replication_factor': 1}");
  }

  @Test
  void refuses_names_and_factors_that_would_break_the_statement() {
    assertThatThrownBy(() -> ReplicationClause.networkTopology(Map.of("dc'1", 3)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReplicationClause.networkTopology(Map.of("dc1", 0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReplicationClause.networkTopology(Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReplicationClause.createKeyspace("x; DROP KEYSPACE y", ReplicationClause.simple(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
