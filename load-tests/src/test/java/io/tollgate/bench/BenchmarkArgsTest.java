package io.tollgate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchmarkArgsTest {

  @Test
  void reads_every_option() {
    BenchmarkArgs a = BenchmarkArgs.parse(new String[] {"--direct", "http://127.0.0.1:1000/", "--gateway",
        "http://localhost:2000", "--direct-key", "k1", "--gateway-key", "k2", "--seconds", "12", "--out", "b.md"});

    assertThat(a.direct().toString()).isEqualTo("http://127.0.0.1:1000");
    assertThat(a.gateway().getPort()).isEqualTo(2000);
    assertThat(a.seconds()).isEqualTo(12.0);
    assertThat(a.out().toString()).isEqualTo("b.md");
    assertThat(a.toString()).doesNotContain("k1").doesNotContain("k2");
  }

  @Test
  void refuses_targets_off_the_loopback_interface() {
    assertThatThrownBy(() -> BenchmarkArgs.parse(new String[] {"--direct", "http://example.com", "--gateway",
        "http://127.0.0.1:2", "--direct-key", "a", "--gateway-key", "b"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loopback");
  }

  @Test
  void refuses_a_missing_target() {
    assertThatThrownBy(() -> BenchmarkArgs.parse(new String[] {"--direct", "http://127.0.0.1:1"}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
