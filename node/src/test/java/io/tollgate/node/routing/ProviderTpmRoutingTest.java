package io.tollgate.node.routing;

import static io.tollgate.node.routing.Deployment.deployment;
import static io.tollgate.node.routing.Deployment.group;
import static io.tollgate.node.routing.Deployment.ids;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.node.catalog.ModelGroup;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProviderTpmRoutingTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T12:00:10Z"));
  /** Two nodes in the region: each gets half of a deployment's provider TPM. */
  private final ProviderQuotas quotas = new ProviderQuotas(() -> 2, clock);
  private final Router router =
      new Router("eu", CircuitPhases.ALL_CLOSED, new LatencyBook(), quotas, () -> new SplittableRandom(13));
  private final ModelGroup g = group(RoutingStrategy.PRIORITY,
      deployment("limited").priority(1).providerTpm(10_000), deployment("spare").priority(2));

  private static RoutingRequest tokens(long in, long out) {
    return new RoutingRequest(null, false, in, out, null);
  }

  @Test
  void a_deployment_within_this_nodes_share_is_routed_normally() {
    quotas.use("limited", 3_000);

    assertThat(ids(router.route(g, tokens(1_000, 1_000)))).containsExactly("limited", "spare");
  }

  @Test
  void a_deployment_over_this_nodes_share_is_skipped_while_another_is_left() {
    quotas.use("limited", 4_000);

    RoutingDecision d = router.route(g, tokens(1_000, 500));

    assertThat(ids(d)).containsExactly("spare");
    assertThat(d.skipped()).containsExactly(
        new RoutingDecision.Skipped("limited", "provider TPM share used up this minute"));
  }

  @Test
  void when_nothing_else_is_left_the_deployment_over_its_share_is_still_tried() {
    ModelGroup only = group(RoutingStrategy.PRIORITY, deployment("limited").providerTpm(10_000));
    quotas.use("limited", 5_000);

    RoutingDecision d = router.route(only, tokens(10, 10));

    assertThat(ids(d)).containsExactly("limited");
    assertThat(d.reasons().get(0)).endsWith("provider TPM share used up this minute (nothing else left)");
  }

  @Test
  void the_share_is_free_again_in_the_next_utc_minute() {
    quotas.use("limited", 5_000);
    assertThat(ids(router.route(g, tokens(10, 10)))).containsExactly("spare");

    clock.advance(java.time.Duration.ofSeconds(50));

    assertThat(ids(router.route(g, tokens(10, 10)))).containsExactly("limited", "spare");
  }
}
