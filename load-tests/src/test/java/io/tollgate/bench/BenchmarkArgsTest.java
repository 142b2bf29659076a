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
    assertThat(a.budgets()).isFalse();
  }

  @Test
  void an_admin_token_or_two_keys_turn_the_budget_comparison_on() {
    String[] base = {"--direct", "http://127.0.0.1:1", "--gateway", "http://127.0.0.1:2", "--direct-key", "a",
        "--gateway-key", "b"};

    BenchmarkArgs withToken = BenchmarkArgs.parse(concat(base, "--admin-token", "secret-admin"));
    BenchmarkArgs withKeys = BenchmarkArgs.parse(concat(base, "--limits-key", "k3", "--no-limits-key", "k4"));

    assertThat(withToken.budgets()).isTrue();
    assertThat(withToken.toString()).doesNotContain("secret-admin");
    assertThat(withKeys.budgets()).isTrue();
    assertThat(withKeys.limitsKey()).isEqualTo("k3");
    assertThat(withKeys.noLimitsKey()).isEqualTo("k4");
    assertThatThrownBy(() -> BenchmarkArgs.parse(concat(base, "--limits-key", "k3")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("go together");
    assertThatThrownBy(() -> BenchmarkArgs.parse(
        concat(base, "--admin-token", "t", "--limits-key", "k3", "--no-limits-key", "k4")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cpu_watch_takes_named_pids() {
    String[] base = {"--direct", "http://127.0.0.1:1", "--gateway", "http://127.0.0.1:2", "--direct-key", "a",
        "--gateway-key", "b"};

    BenchmarkArgs a = BenchmarkArgs.parse(concat(base, "--cpu", "node=12,cassandra=34", "--clk-tck", "100"));

    assertThat(a.cpu().names()).containsExactly("node", "cassandra");
    assertThat(BenchmarkArgs.parse(base).cpu().names()).isEmpty();
    assertThatThrownBy(() -> BenchmarkArgs.parse(concat(base, "--cpu", "node")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name=pid");
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void peers_take_a_loopback_url_and_their_own_headers() {
    String[] base = {"--direct", "http://127.0.0.1:1", "--gateway", "http://127.0.0.1:2", "--direct-key", "a",
        "--gateway-key", "b"};

    BenchmarkArgs a = BenchmarkArgs.parse(concat(base, "--peer", "nginx=http://127.0.0.1:3/", "--peer",
        "portkey=http://127.0.0.1:4", "--peer-header", "portkey=x-portkey-provider: openai"));

    assertThat(a.peers()).extracting(BenchmarkArgs.Peer::name).containsExactly("nginx", "portkey");
    assertThat(a.peers().get(0).base().toString()).isEqualTo("http://127.0.0.1:3");
    assertThat(a.peers().get(0).headers()).isEmpty();
    assertThat(a.peers().get(1).headers()).containsEntry("x-portkey-provider", "openai");
    assertThatThrownBy(() -> BenchmarkArgs.parse(concat(base, "--peer", "far=http://example.com")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
    assertThatThrownBy(() -> BenchmarkArgs.parse(concat(base, "--peer-header", "nobody=x: y")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without --peer");
    assertThatThrownBy(() -> BenchmarkArgs.parse(concat(base, "--peer", "gateway=http://127.0.0.1:5")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("taken");
  }

  @Test
  void a_gateway_warmup_is_off_unless_asked_for() {
    String[] base = {"--direct", "http://127.0.0.1:1", "--gateway", "http://127.0.0.1:2", "--direct-key", "a",
        "--gateway-key", "b"};

    assertThat(BenchmarkArgs.parse(base).gatewayWarmupSeconds()).isZero();
    assertThat(BenchmarkArgs.parse(concat(base, "--gateway-warmup", "20")).gatewayWarmupSeconds()).isEqualTo(20.0);
    assertThatThrownBy(() -> BenchmarkArgs.parse(concat(base, "--gateway-warmup", "-1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--gateway-warmup");
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
