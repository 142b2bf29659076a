package io.tollgate.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class CassandraContactPointTest {

  private static final Config EMPTY_CONTACT_POINT = ConfigFactory.parseString("tollgate.cassandra.contact-point = \"\"");

  @Test
  void nothing_configured_means_an_embedded_cassandra() {
    assertThat(CassandraContactPoint.external(null, EMPTY_CONTACT_POINT)).isEmpty();
    assertThat(CassandraContactPoint.external("  ", ConfigFactory.empty())).isEmpty();
  }

  @Test
  void the_config_path_names_an_external_cassandra() {
    Config config = ConfigFactory.parseString("tollgate.cassandra.contact-point = \"cassandra.internal:9042\"");

    assertThat(CassandraContactPoint.external(null, config)).contains("cassandra.internal:9042");
  }

  @Test
  void the_environment_variable_wins_over_the_config_path() {
    Config config = ConfigFactory.parseString("tollgate.cassandra.contact-point = \"cassandra.internal:9042\"");

    assertThat(CassandraContactPoint.external("10.1.2.3:19042", config)).contains("10.1.2.3:19042");
  }

  @Test
  void a_contact_point_without_a_port_is_rejected() {
    assertThatThrownBy(() -> CassandraContactPoint.external("cassandra.internal", EMPTY_CONTACT_POINT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host:port");
  }

  @Test
  void the_driver_overlay_points_the_driver_at_the_contact_point_over_any_other_setting() {
    Config base = ConfigFactory.parseString("""
        datastax-java-driver.basic.contact-points = ["127.0.0.1:9042"]
        datastax-java-driver.basic.request.timeout = 10s
        """);

    Config merged = CassandraContactPoint.driverOverlay("127.0.0.1:31000", "eu-west").withFallback(base);

    assertThat(merged.getStringList("datastax-java-driver.basic.contact-points")).containsExactly("127.0.0.1:31000");
    assertThat(merged.getString("datastax-java-driver.basic.load-balancing-policy.local-datacenter")).isEqualTo("eu-west");
    assertThat(merged.getString("datastax-java-driver.basic.request.timeout")).isEqualTo("10s");
  }

  @Test
  void the_local_datacenter_defaults_to_the_embedded_one() {
    assertThat(CassandraContactPoint.localDatacenter(ConfigFactory.empty())).isEqualTo("datacenter1");
    assertThat(CassandraContactPoint.driverOverlay("127.0.0.1:31000")
            .getString("datastax-java-driver.basic.load-balancing-policy.local-datacenter"))
        .isEqualTo("datacenter1");
  }
}
