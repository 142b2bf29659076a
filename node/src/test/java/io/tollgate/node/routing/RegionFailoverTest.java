package io.tollgate.node.routing;

import static io.tollgate.node.routing.Deployment.deployment;
import static io.tollgate.node.routing.Deployment.group;
import static io.tollgate.node.routing.Deployment.ids;
import static io.tollgate.node.routing.Deployment.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.node.catalog.ModelGroup;
import io.tollgate.persistence.circuit.CircuitPhase;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RegionFailoverTest {
  private final Map<String, CircuitPhase> phases = new HashMap<>();
  private final LatencyBook latency = new LatencyBook();

  private Router router(String region) {
    return new Router(region, id -> phases.getOrDefault(id, CircuitPhase.CLOSED), latency,
        new ProviderQuotas(() -> 1), () -> new SplittableRandom(3));
  }

  @Test
  void local_and_global_deployments_come_first_and_other_regions_follow_as_failover() {
    ModelGroup g = group(RoutingStrategy.PRIORITY,
        deployment("us-main").region("us").priority(1), deployment("eu-main").region("eu").priority(2),
        deployment("global").priority(3), deployment("ap-main").region("ap").priority(0));

    RoutingDecision d = router("eu").route(g, request());

    assertThat(ids(d)).containsExactly("eu-main", "global", "ap-main", "us-main");
    assertThat(d.reasons()).containsExactly("local region, priority 2", "global endpoint, priority 3",
        "failover: region ap, priority 0", "failover: region us, priority 1");
  }

  @Test
  void the_failover_regions_are_ordered_by_the_same_strategy() {
    ModelGroup g = group(RoutingStrategy.LEAST_LATENCY,
        deployment("eu-a").region("eu"), deployment("us-slow").region("us"), deployment("ap-fast").region("ap"));
    latency.record("eu-a", -1, 2_000);
    latency.record("us-slow", -1, 900);
    latency.record("ap-fast", -1, 300);

    assertThat(ids(router("eu").route(g, request()))).containsExactly("eu-a", "ap-fast", "us-slow");
  }

  @Test
  void a_region_whose_local_circuits_are_open_fails_over_to_another_region() {
    ModelGroup g = group(RoutingStrategy.PRIORITY,
        deployment("eu-main").region("eu"), deployment("us-main").region("us"));
    phases.put("eu-main", CircuitPhase.OPEN);

    RoutingDecision d = router("eu").route(g, request());

    assertThat(ids(d)).containsExactly("us-main");
    assertThat(d.reasons()).containsExactly("failover: region us, priority 1");
    assertThat(d.skipped()).containsExactly(new RoutingDecision.Skipped("eu-main", "circuit open"));
  }

  @Test
  void a_model_without_a_local_deployment_is_served_from_another_region() {
    ModelGroup g = group(RoutingStrategy.WEIGHTED, deployment("us-main").region("us"));

    assertThat(ids(router("eu").route(g, request()))).containsExactly("us-main");
  }

  @Test
  void a_node_without_a_region_treats_every_deployment_as_local() {
    ModelGroup g = group(RoutingStrategy.PRIORITY,
        deployment("us-main").region("us").priority(2), deployment("eu-main").region("eu").priority(1));

    RoutingDecision d = router("").route(g, request());

    assertThat(ids(d)).containsExactly("eu-main", "us-main");
    assertThat(d.reasons()).containsExactly("region eu, priority 1", "region us, priority 2");
  }
}
