package io.tollgate.node.routing;

import static io.tollgate.node.routing.Deployment.deployment;
import static io.tollgate.node.routing.Deployment.group;
import static io.tollgate.node.routing.Deployment.ids;
import static io.tollgate.node.routing.Deployment.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.node.catalog.ModelGroup;
import io.tollgate.persistence.circuit.CircuitPhase;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CircuitAwareRoutingTest {
  private final Map<String, CircuitPhase> phases = new HashMap<>();
  private final Map<String, Instant> openUntil = new HashMap<>();
  private final CircuitPhases view = CircuitPhases.of(
      id -> phases.getOrDefault(id, CircuitPhase.CLOSED), id -> Optional.ofNullable(openUntil.get(id)));
  private final Router router =
      new Router("eu", view, new LatencyBook(), new ProviderQuotas(() -> 1), () -> new SplittableRandom(5));

  @Test
  void open_circuits_are_skipped_and_say_until_when() {
    ModelGroup g = group(RoutingStrategy.PRIORITY, deployment("a").priority(1), deployment("b").priority(2));
    phases.put("a", CircuitPhase.OPEN);
    openUntil.put("a", Instant.parse("2026-03-01T10:15:30Z"));

    RoutingDecision d = router.route(g, request());

    assertThat(ids(d)).containsExactly("b");
    assertThat(d.skipped()).containsExactly(new RoutingDecision.Skipped("a", "circuit open until 2026-03-01T10:15:30Z"));
  }

  @Test
  void half_open_deployments_keep_their_place_so_probes_reach_them() {
    ModelGroup g = group(RoutingStrategy.PRIORITY,
        deployment("eu-probe").region("eu").priority(1), deployment("eu-ok").region("eu").priority(5),
        deployment("us-ok").region("us").priority(1), deployment("us-probe").region("us").priority(0));
    phases.put("eu-probe", CircuitPhase.HALF_OPEN);
    phases.put("us-probe", CircuitPhase.HALF_OPEN);

    RoutingDecision d = router.route(g, request());

    assertThat(ids(d)).containsExactly("eu-probe", "eu-ok", "us-probe", "us-ok");
    assertThat(d.reasons().get(0)).isEqualTo("local region, circuit half-open (probe), priority 1");
  }

  @Test
  void every_circuit_open_leaves_no_candidate_and_explains_each() {
    ModelGroup g = group(RoutingStrategy.LEAST_LATENCY, deployment("a"), deployment("b"));
    phases.put("a", CircuitPhase.OPEN);
    phases.put("b", CircuitPhase.OPEN);

    RoutingDecision d = router.route(g, request());

    assertThat(d.candidates()).isEmpty();
    assertThat(d.reasons()).isEmpty();
    assertThat(d.first()).isEmpty();
    assertThat(d.skipped()).extracting(RoutingDecision.Skipped::deploymentId).containsExactly("a", "b");
  }
}
