package io.tollgate.persistence.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegionSettingsTest {

  private static RegionSettings settings(String self, String hocon) {
    return RegionSettings.from(ConfigFactory.parseString(hocon
        + "\npekko.cluster.multi-data-center.self-data-center = " + self));
  }

  @Test
  void without_a_regions_section_the_node_is_a_single_region_and_home_to_everyone() {
    RegionSettings s = settings("eu", "");
    assertThat(s.multiRegion()).isFalse();
    assertThat(s.all()).containsExactly("eu");
    assertThat(s.defaultHome()).isEqualTo("eu");
    assertThat(s.primary()).isEqualTo("eu");
    assertThat(s.others()).isEmpty();
  }

  @Test
  void with_several_regions_every_node_takes_the_first_listed_as_default_home_and_primary() {
    RegionSettings inA = settings("a", "tollgate.regions.all = [a, b]");
    RegionSettings inB = settings("b", "tollgate.regions.all = [a, b]");
    assertThat(List.of(inA.defaultHome(), inB.defaultHome(), inA.primary(), inB.primary())).containsOnly("a");
    assertThat(inB.others()).containsExactly("a");
    assertThat(inB.multiRegion()).isTrue();
  }

  @Test
  void takes_the_regions_as_a_comma_separated_string_from_the_environment() {
    RegionSettings s = settings("b", "tollgate.regions { all = \"a, b\", default-home = b, primary = a }");
    assertThat(s.all()).containsExactly("a", "b");
    assertThat(s.defaultHome()).isEqualTo("b");
    assertThat(s.primary()).isEqualTo("a");
  }

  @Test
  void reads_replication_factors_given_as_numbers_or_as_strings() {
    RegionSettings s = RegionSettings.from(ConfigFactory.parseMap(java.util.Map.of(
            "tollgate.regions.replication.datacenter1", "2"))
        .withFallback(ConfigFactory.parseString("""
            pekko.cluster.multi-data-center.self-data-center = a
            tollgate.regions { all = [a, b], replication { us-east = 3 } }
            """)));
    assertThat(s.dataCenterReplication()).containsOnly(
        java.util.Map.entry("datacenter1", 2), java.util.Map.entry("us-east", 3));
  }

  @Test
  void refuses_a_list_without_the_nodes_own_region_or_an_unknown_home() {
    assertThatThrownBy(() -> settings("c", "tollgate.regions.all = [a, b]"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'c'");
    assertThatThrownBy(() -> settings("a", "tollgate.regions { all = [a, b], default-home = z }"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("default-home");
  }
}
