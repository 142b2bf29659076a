package io.tollgate.node.routing;

import static io.tollgate.node.routing.Deployment.deployment;
import static io.tollgate.node.routing.Deployment.group;
import static io.tollgate.node.routing.Deployment.ids;
import static io.tollgate.node.routing.Deployment.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tollgate.node.catalog.ModelGroup;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoutingStrategiesTest {
  private static final int DECISIONS = 10_000;
  private final LatencyBook latency = new LatencyBook();
  private final Router router = new Router("", CircuitPhases.ALL_CLOSED, latency, new ProviderQuotas(() -> 1),
      () -> new SplittableRandom(7));
  private final SplittableRandom seeded = new SplittableRandom(42);
  private final Router seededRouter = new Router("", CircuitPhases.ALL_CLOSED, latency, new ProviderQuotas(() -> 1),
      () -> seeded);

  @Test
  void priority_tries_the_lowest_priority_number_first_and_falls_back_in_priority_order() {
    ModelGroup g = group(RoutingStrategy.PRIORITY,
        deployment("backup").priority(3), deployment("main").priority(1), deployment("second").priority(2));

    RoutingDecision d = router.route(g, request());

    assertThat(d.strategy()).isEqualTo(RoutingStrategy.PRIORITY);
    assertThat(ids(d)).containsExactly("main", "second", "backup");
    assertThat(d.reasons()).containsExactly(
        "global endpoint, priority 1", "global endpoint, priority 2", "global endpoint, priority 3");
    assertThat(d.skipped()).isEmpty();
  }

  @Test
  void priority_spreads_equal_priorities_by_weight_and_keeps_the_lower_priority_as_fallback() {
    ModelGroup g = group(RoutingStrategy.PRIORITY,
        deployment("big").weight(3), deployment("small").weight(1), deployment("reserve").priority(2).weight(100));

    Map<String, Integer> leads = new HashMap<>();
    for (int i = 0; i < DECISIONS; i++) {
      List<String> order = ids(seededRouter.route(g, request()));
      assertThat(order.get(2)).isEqualTo("reserve");
      leads.merge(order.get(0), 1, Integer::sum);
    }

    assertThat(leads.get("big") / (double) DECISIONS).isCloseTo(0.75, within(0.02));
    assertThat(router.route(g, request()).reasons()).contains("global endpoint, priority 1, weight 3 of 4");
  }

  @Test
  void weighted_leads_with_each_deployment_in_proportion_to_its_weight() {
    ModelGroup g = group(RoutingStrategy.WEIGHTED, deployment("a").weight(3), deployment("b").weight(1));

    Map<String, Integer> leads = new HashMap<>();
    for (int i = 0; i < DECISIONS; i++) {
      RoutingDecision d = seededRouter.route(g, request());
      assertThat(ids(d)).containsExactlyInAnyOrder("a", "b");
      leads.merge(ids(d).get(0), 1, Integer::sum);
    }

    assertThat(leads.get("a") / (double) DECISIONS).isCloseTo(0.75, within(0.02));
    assertThat(leads.get("b") / (double) DECISIONS).isCloseTo(0.25, within(0.02));
  }

  @Test
  void weighted_fallback_order_is_drawn_by_weight_from_the_rest() {
    ModelGroup g = group(RoutingStrategy.WEIGHTED,
        deployment("a").weight(5), deployment("b").weight(3), deployment("c").weight(2));

    Map<String, Integer> leads = new HashMap<>();
    int aFirst = 0;
    int bSecondAfterA = 0;
    for (int i = 0; i < DECISIONS; i++) {
      List<String> order = ids(seededRouter.route(g, request()));
      leads.merge(order.get(0), 1, Integer::sum);
      if (order.get(0).equals("a")) {
        aFirst++;
        bSecondAfterA += order.get(1).equals("b") ? 1 : 0;
      }
    }

    assertThat(leads.get("a") / (double) DECISIONS).isCloseTo(0.5, within(0.02));
    assertThat(leads.get("b") / (double) DECISIONS).isCloseTo(0.3, within(0.02));
    assertThat(leads.get("c") / (double) DECISIONS).isCloseTo(0.2, within(0.02));
    // With a drawn first, b and c share the rest 3:2.
    assertThat(bSecondAfterA / (double) aFirst).isCloseTo(0.6, within(0.03));
    assertThat(seededRouter.route(g, request()).reasons()).allMatch(r -> r.matches("global endpoint, weight \\d of 10"));
  }

  @Test
  void weighted_never_leads_with_a_zero_weight_deployment_while_another_has_weight() {
    ModelGroup g = group(RoutingStrategy.WEIGHTED, deployment("off").weight(0), deployment("on").weight(1));

    for (int i = 0; i < 1_000; i++) {
      assertThat(ids(seededRouter.route(g, request()))).containsExactly("on", "off");
    }
  }

  @Test
  void least_latency_prefers_the_deployment_with_the_lower_average() {
    ModelGroup g = group(RoutingStrategy.LEAST_LATENCY, deployment("slow"), deployment("fast"));
    for (int i = 0; i < 5; i++) {
      latency.record("slow", -1, 900);
      latency.record("fast", -1, 120);
    }

    RoutingDecision d = router.route(g, request());

    assertThat(ids(d)).containsExactly("fast", "slow");
    assertThat(d.reasons()).containsExactly("global endpoint, latency avg 120 ms", "global endpoint, latency avg 900 ms");
  }

  @Test
  void least_latency_compares_time_to_first_token_for_streams_and_total_time_otherwise() {
    ModelGroup g = group(RoutingStrategy.LEAST_LATENCY, deployment("quick-start"), deployment("quick-finish"));
    latency.record("quick-start", 50, 3_000);
    latency.record("quick-finish", 400, 800);

    RoutingDecision streamed = router.route(g, new RoutingRequest(null, true, 1_000, 500, null));
    RoutingDecision whole = router.route(g, request());

    assertThat(ids(streamed)).containsExactly("quick-start", "quick-finish");
    assertThat(streamed.reasons().get(0)).isEqualTo("global endpoint, ttft avg 50 ms");
    assertThat(ids(whole)).containsExactly("quick-finish", "quick-start");
  }

  @Test
  void least_latency_tries_an_unmeasured_deployment_first_so_that_it_gets_measured() {
    ModelGroup g = group(RoutingStrategy.LEAST_LATENCY, deployment("known"), deployment("new"));
    latency.record("known", -1, 10);

    RoutingDecision before = router.route(g, request());
    latency.record("new", -1, 500);
    RoutingDecision after = router.route(g, request());

    assertThat(ids(before)).containsExactly("new", "known");
    assertThat(before.reasons().get(0)).contains("no latency samples yet");
    assertThat(ids(after)).containsExactly("known", "new");
  }

  @Test
  void lowest_cost_puts_the_cheapest_deployment_for_this_request_first() {
    ModelGroup g = group(RoutingStrategy.LOWEST_COST,
        deployment("cheap-output").price("10.00", "2.00"), deployment("cheap-input").price("2.50", "10.00"));

    RoutingDecision promptHeavy = router.route(g, new RoutingRequest(null, false, 100_000, 50_000, null));
    RoutingDecision answerHeavy = router.route(g, new RoutingRequest(null, false, 1_000, 100_000, null));

    assertThat(ids(promptHeavy)).containsExactly("cheap-input", "cheap-output");
    assertThat(promptHeavy.reasons())
        .containsExactly("global endpoint, $0.75 per call estimated", "global endpoint, $1.1 per call estimated");
    assertThat(ids(answerHeavy)).containsExactly("cheap-output", "cheap-input");
  }

  @Test
  void lowest_cost_breaks_a_price_tie_by_priority() {
    ModelGroup g = group(RoutingStrategy.LOWEST_COST,
        deployment("second").price("1", "1").priority(2), deployment("first").price("1", "1").priority(1),
        deployment("dear").price("5", "5").priority(0));

    assertThat(ids(router.route(g, request()))).containsExactly("first", "second", "dear");
  }

  @Test
  void a_strategy_chosen_for_the_request_overrides_the_groups() {
    ModelGroup g = group(RoutingStrategy.PRIORITY,
        deployment("preferred").priority(1).price("9", "9"), deployment("cheaper").priority(2).price("1", "1"));

    RoutingDecision d = router.route(g, new RoutingRequest(RoutingStrategy.LOWEST_COST, false, 1_000, 500, null));

    assertThat(d.strategy()).isEqualTo(RoutingStrategy.LOWEST_COST);
    assertThat(ids(d)).containsExactly("cheaper", "preferred");
    assertThat(ids(router.route(g, request()))).containsExactly("preferred", "cheaper");
  }
}
