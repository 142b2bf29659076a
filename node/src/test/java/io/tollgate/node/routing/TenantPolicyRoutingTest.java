package io.tollgate.node.routing;

import static io.tollgate.node.routing.Deployment.MODEL;
import static io.tollgate.node.routing.Deployment.deployment;
import static io.tollgate.node.routing.Deployment.group;
import static io.tollgate.node.routing.Deployment.ids;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.node.catalog.ModelGroup;
import io.tollgate.persistence.tenantadmin.TenantRouting;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TenantPolicyRoutingTest {
  private final Router router = new Router("eu", CircuitPhases.ALL_CLOSED, new LatencyBook(),
      new ProviderQuotas(() -> 1), () -> new SplittableRandom(11));
  private final ModelGroup g = group(RoutingStrategy.PRIORITY,
      deployment("a").priority(1), deployment("b").priority(2), deployment("c").priority(3));

  private static RoutingRequest with(TenantRouting policy) {
    return new RoutingRequest(null, false, 100, 100, policy);
  }

  @Test
  void a_tenant_pinned_to_a_deployment_gets_only_that_one() {
    TenantRouting policy = new TenantRouting("t1", Map.of(), Map.of(MODEL, "b"), List.of(), null);

    RoutingDecision d = router.route(g, with(policy));

    assertThat(ids(d)).containsExactly("b");
    assertThat(d.skipped()).containsExactly(
        new RoutingDecision.Skipped("a", "pinned to b"), new RoutingDecision.Skipped("c", "pinned to b"));
  }

  @Test
  void a_tenant_allow_list_keeps_only_the_allowed_deployments_in_strategy_order() {
    TenantRouting policy = new TenantRouting("t1", Map.of(MODEL, List.of("c", "a")), Map.of(), List.of(), null);

    RoutingDecision d = router.route(g, with(policy));

    assertThat(ids(d)).containsExactly("a", "c");
    assertThat(d.skipped()).containsExactly(new RoutingDecision.Skipped("b", "not allowed by the tenant's policy"));
  }

  @Test
  void a_policy_for_another_model_or_no_policy_restricts_nothing() {
    TenantRouting other = new TenantRouting("t1", Map.of("other", List.of("a")), Map.of("other", "a"), List.of(), null);

    assertThat(ids(router.route(g, with(other)))).containsExactly("a", "b", "c");
    assertThat(ids(router.route(g, with(TenantRouting.defaults("t1"))))).containsExactly("a", "b", "c");
    assertThat(ids(router.route(g, with(null)))).containsExactly("a", "b", "c");
  }
}
