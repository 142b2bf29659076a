package io.tollgate.node.routing;

import static io.tollgate.node.routing.Deployment.deployment;
import static io.tollgate.node.routing.Deployment.group;
import static io.tollgate.node.routing.Deployment.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.node.catalog.ModelGroup;
import io.tollgate.persistence.circuit.CircuitPhase;
import io.tollgate.protocol.Json;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoutingDecisionJsonTest {
  @Test
  void the_dry_run_json_names_each_candidate_with_its_reason_and_each_skipped_deployment() {
    CircuitPhases phases = id -> id.equals("down") ? CircuitPhase.OPEN : CircuitPhase.CLOSED;
    Router router = new Router("eu", phases, new LatencyBook(), new ProviderQuotas(() -> 1), () -> new SplittableRandom(1));
    ModelGroup g = group(RoutingStrategy.PRIORITY,
        deployment("eu-main").region("eu"), deployment("anywhere").priority(2), deployment("down").priority(0));

    ObjectNode json = router.route(g, request()).toJson();

    assertThat(json.path("model").asText()).isEqualTo(Deployment.MODEL);
    assertThat(json.path("strategy").asText()).isEqualTo("priority");
    assertThat(json.path("candidates")).hasSize(2);
    assertThat(json.path("candidates").get(0).path("deployment").asText()).isEqualTo("eu-main");
    assertThat(json.path("candidates").get(0).path("provider").asText()).isEqualTo("provider-eu-main");
    assertThat(json.path("candidates").get(0).path("upstream_model").asText()).isEqualTo("upstream-eu-main");
    assertThat(json.path("candidates").get(0).path("region").asText()).isEqualTo("eu");
    assertThat(json.path("candidates").get(0).path("reason").asText()).isEqualTo("local region, priority 1");
    assertThat(json.path("candidates").get(1).path("region").asText()).isEqualTo("global");
    assertThat(json.path("skipped").get(0).path("deployment").asText()).isEqualTo("down");
    assertThat(json.path("skipped").get(0).path("reason").asText()).isEqualTo("circuit open");
    assertThat(Json.text(json)).doesNotContain(Deployment.SECRET);
  }
}
