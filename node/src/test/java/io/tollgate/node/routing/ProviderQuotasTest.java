package io.tollgate.node.routing;

import static io.tollgate.node.routing.Deployment.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.node.catalog.ModelRoute;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProviderQuotasTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T12:00:00Z"));
  private final AtomicInteger nodes = new AtomicInteger(1);
  private final ProviderQuotas quotas = new ProviderQuotas(nodes::get, clock);

  @Test
  void a_deployment_without_a_known_provider_limit_always_has_room() {
    ModelRoute open = deployment("open").build();
    quotas.use("open", 1_000_000_000L);

    assertThat(quotas.hasRoom(open, 1_000_000)).isTrue();
  }

  @Test
  void this_nodes_share_is_the_provider_limit_divided_by_the_nodes_in_the_region() {
    ModelRoute d = deployment("d").providerTpm(9_000).build();
    nodes.set(3);
    quotas.use("d", 2_000);

    assertThat(quotas.hasRoom(d, 1_000)).isTrue();
    assertThat(quotas.hasRoom(d, 1_001)).isFalse();

    nodes.set(1);
    assertThat(quotas.hasRoom(d, 7_000)).isTrue();
  }

  @Test
  void use_counts_in_fixed_utc_minutes() {
    ModelRoute d = deployment("d").providerTpm(1_000).build();
    clock.advance(Duration.ofSeconds(59));
    quotas.use("d", 1_000);
    assertThat(quotas.usedThisMinute("d")).isEqualTo(1_000);
    assertThat(quotas.hasRoom(d, 1)).isFalse();

    clock.advance(Duration.ofSeconds(1));

    assertThat(quotas.usedThisMinute("d")).isZero();
    assertThat(quotas.hasRoom(d, 1_000)).isTrue();
    quotas.use("d", 10);
    assertThat(quotas.usedThisMinute("d")).isEqualTo(10);
  }

  @Test
  void concurrent_use_loses_no_tokens() {
    List<CompletableFuture<Void>> users = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      users.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 20_000; i++) {
          quotas.use("busy", 3);
        }
      }));
    }
    users.forEach(CompletableFuture::join);

    assertThat(quotas.usedThisMinute("busy")).isEqualTo(4 * 20_000 * 3);
  }
}
