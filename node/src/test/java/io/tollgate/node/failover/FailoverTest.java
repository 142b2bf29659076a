package io.tollgate.node.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.fake.Behaviour;
import io.tollgate.fake.Behaviour.Failure;
import io.tollgate.fake.RecordedRequest;
import io.tollgate.node.testing.Calls;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Routing across a model group's deployments on a two-node cluster, driven by the fake provider's
 * failure modes per upstream model. Every test uses its own deployments, so circuits never leak
 * between tests.
 */
class FailoverTest {
  private static final String PRICE = "price { input = 1.0, output = 2.0 }";
  private static FailoverCluster cluster;
  private static FailoverCluster.Tenant tenant;

  @BeforeAll
  static void start() {
    cluster = FailoverCluster.start(2, String.join("\n",
        "tollgate.circuits { consecutive-failures = 5, open-for = 1s, probes-to-close = 2 }",
        "tollgate.models {",
        "  solo-429 { id = solo-429, provider = fake-openai, upstream-model = solo-429, " + PRICE + " }",
        group("ha-500", "priority", dep("ha500-primary", "priority = 1"), dep("ha500-backup", "priority = 2")),
        group("ha-probe", "priority", dep("probe-primary", "priority = 1"), dep("probe-backup", "priority = 2")),
        group("ha-three", "priority", dep("three-a", "priority = 1"), dep("three-b", "priority = 2"),
            dep("three-c", "priority = 3")),
        group("by-cost", "lowest-cost", dep("cost-dear", "priority = 1, price { input = 9, output = 9 }"),
            dep("cost-cheap", "priority = 3, price { input = 0.1, output = 0.1 }"),
            dep("cost-mid", "priority = 2, price { input = 1, output = 1 }")),
        group("by-latency", "least-latency", dep("lat-slow", "priority = 1"), dep("lat-fast", "priority = 2")),
        group("stream-early", "priority", dep("early-broken", "priority = 1"), dep("early-ok", "priority = 2")),
        group("stream-error-first", "priority", dep("errfirst-broken", "priority = 1"),
            "{ id = errfirst-ok, provider = fake-anthropic, upstream-model = errfirst-ok, priority = 2, " + PRICE + " }"),
        group("hangs", "priority", dep("hang-primary", "priority = 1"), dep("hang-backup", "priority = 2")),
        group("stream-cut", "priority", dep("cut-broken", "priority = 1"), dep("cut-ok", "priority = 2")),
        group("explained", "priority", dep("explain-a", "priority = 1"), dep("explain-b", "priority = 2")),
        "}"));
    tenant = cluster.newTenant();
  }

  private static String group(String name, String strategy, String... deployments) {
    return "  " + name + " { strategy = " + strategy + ", deployments = [" + String.join(", ", deployments) + "] }";
  }

  /** A deployment on the fake OpenAI wire whose id is also its upstream model name. */
  private static String dep(String id, String extra) {
    String price = extra.contains("price") ? "" : PRICE;
    return "{ id = " + id + ", provider = fake-openai, upstream-model = " + id + ", " + extra
        + (price.isEmpty() ? "" : ", " + price) + " }";
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void healthyProvider() {
    cluster.fake.clearModelBehaviours();
  }

  @Test
  void a_429_with_retry_after_keeps_traffic_off_the_deployment_until_it_ends_then_resumes() {
    cluster.fake.setBehaviour("solo-429", Behaviour.defaults().withFailure(Failure.STATUS_429).withRetryAfterSeconds(2));
    Instant sent = Instant.now();
    HttpResponse<String> limited = cluster.chat(0, tenant.key(), "solo-429", "hello");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("retry-after")).contains("2");
    cluster.fake.clearModelBehaviours();

    // the other node never saw the 429, yet learns the cool-down from the circuit
    await().atMost(Duration.ofSeconds(1)).until(() -> phase(1, "solo-429").equals("open"));
    HttpResponse<String> refused = cluster.chat(1, tenant.key(), "solo-429", "hello");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(Calls.json(refused.body()).path("error").path("code").asText()).isEqualTo("no_healthy_deployment");
    assertThat(refused.headers().firstValue("retry-after")).isPresent();

    List<Instant> refusedAt = new ArrayList<>();
    Instant[] servedAt = {null};
    await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(100)).until(() -> {
      Instant at = Instant.now();
      HttpResponse<String> r = cluster.chat(0, tenant.key(), "solo-429", "hello");
      if (r.statusCode() == 200) {
        servedAt[0] = at;
        return true;
      }
      assertThat(r.statusCode()).isEqualTo(503);
      refusedAt.add(at);
      return false;
    });
    assertThat(cluster.fake.requestCount("solo-429")).as("the 429 and the one that resumed").isEqualTo(2);
    assertThat(Duration.between(sent, servedAt[0])).isGreaterThanOrEqualTo(Duration.ofMillis(1800));
    assertThat(refusedAt).isNotEmpty();
  }

  @Test
  void repeated_500s_open_the_circuit_and_the_other_node_stops_sending_within_a_second() {
    cluster.fake.setBehaviour("ha500-primary", Behaviour.defaults().withFailure(Failure.STATUS_500));
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = cluster.chat(0, tenant.key(), "ha-500", "hello");
      assertThat(r.statusCode()).as("the failover is invisible").isEqualTo(200);
      assertThat(r.headers().firstValue("x-tollgate-deployment")).contains("ha500-backup");
      assertThat(r.headers().firstValue("x-tollgate-attempts")).contains("2");
    }
    await().atMost(Duration.ofSeconds(1)).until(() -> phase(1, "ha500-primary").equals("open"));
    long primaryCalls = cluster.fake.requestCount("ha500-primary");
    HttpResponse<String> fromOtherNode = cluster.chat(1, tenant.key(), "ha-500", "hello");
    assertThat(fromOtherNode.statusCode()).isEqualTo(200);
    assertThat(fromOtherNode.headers().firstValue("x-tollgate-deployment")).contains("ha500-backup");
    assertThat(fromOtherNode.headers().firstValue("x-tollgate-attempts")).contains("1");
    assertThat(cluster.fake.requestCount("ha500-primary")).isEqualTo(primaryCalls);
  }

  @Test
  void half_open_probes_close_the_circuit_once_the_provider_recovers() {
    cluster.fake.setBehaviour("probe-primary", Behaviour.defaults().withFailure(Failure.STATUS_500));
    for (int i = 0; i < 5; i++) {
      assertThat(cluster.chat(0, tenant.key(), "ha-probe", "hello").statusCode()).isEqualTo(200);
    }
    await().atMost(Duration.ofSeconds(2)).until(() -> phase(0, "probe-primary").equals("open"));
    cluster.fake.clearModelBehaviours();

    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
      cluster.chat(0, tenant.key(), "ha-probe", "hello");
      cluster.chat(1, tenant.key(), "ha-probe", "hello");
      return phase(0, "probe-primary").equals("closed") && phase(1, "probe-primary").equals("closed");
    });
    HttpResponse<String> after = cluster.chat(1, tenant.key(), "ha-probe", "hello");
    assertThat(after.headers().firstValue("x-tollgate-deployment")).contains("probe-primary");
  }

  @Test
  void fallback_follows_the_priority_order() {
    cluster.fake.setBehaviour("three-a", Behaviour.defaults().withFailure(Failure.STATUS_500));
    cluster.fake.setBehaviour("three-b", Behaviour.defaults().withFailure(Failure.STATUS_529));
    cluster.fake.clearRequests();
    HttpResponse<String> r = cluster.chat(0, tenant.key(), "ha-three", "hello");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-tollgate-deployment")).contains("three-c");
    assertThat(r.headers().firstValue("x-tollgate-attempts")).contains("3");
    assertThat(modelsInOrder("three-")).containsExactly("three-a", "three-b", "three-c");
  }

  @Test
  void the_audit_record_of_a_failed_over_call_names_the_serving_deployment_and_its_attempts() {
    cluster.fake.setBehaviour("three-a", Behaviour.defaults().withFailure(Failure.STATUS_500));
    cluster.fake.setBehaviour("three-b", Behaviour.defaults().withFailure(Failure.STATUS_529));
    HttpResponse<String> r = cluster.chat(0, tenant.key(), "ha-three", "hello");
    assertThat(r.statusCode()).isEqualTo(200);
    String requestId = r.headers().firstValue("x-request-id").orElseThrow();

    JsonNode[] found = {null};
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      JsonNode page = cluster.admin(1, "GET",
          "/admin/tenants/" + tenant.id() + "/audit?model=ha-three&deployment=three-c", null, 200);
      for (JsonNode record : page.path("data")) {
        if (record.path("request_id").asText().equals(requestId)) {
          found[0] = record;
          return true;
        }
      }
      return false;
    });
    assertThat(found[0].path("deployment").asText()).isEqualTo("three-c");
    assertThat(found[0].path("region").asText()).isEqualTo("global");
    assertThat(found[0].path("attempts").asInt()).isEqualTo(3);
    assertThat(found[0].path("upstream_model").asText()).isEqualTo("three-c");
    cluster.fake.clearModelBehaviours();
  }

  @Test
  void a_deployment_that_hangs_is_left_for_the_next_once_its_response_timeout_passes() {
    cluster.fake.setBehaviour("hang-primary", Behaviour.defaults().withFailure(Failure.HANG));
    HttpResponse<String> r = cluster.chat(0, tenant.key(), "hangs", "hello");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-tollgate-deployment")).contains("hang-backup");
    assertThat(r.headers().firstValue("x-tollgate-attempts")).contains("2");
  }

  @Test
  void fallback_under_lowest_cost_goes_from_the_cheapest_up() {
    cluster.fake.setBehaviour("cost-cheap", Behaviour.defaults().withFailure(Failure.STATUS_500));
    cluster.fake.clearRequests();
    HttpResponse<String> r = cluster.chat(0, tenant.key(), "by-cost", "hello");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(modelsInOrder("cost-")).containsExactly("cost-cheap", "cost-mid");
  }

  @Test
  void least_latency_settles_on_the_faster_deployment() {
    cluster.fake.setBehaviour("lat-slow", Behaviour.defaults().withLatencyMillis(200));
    List<String> servedBy = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      HttpResponse<String> r = cluster.chat(0, tenant.key(), "by-latency", "hello");
      assertThat(r.statusCode()).isEqualTo(200);
      servedBy.add(r.headers().firstValue("x-tollgate-deployment").orElseThrow());
    }
    assertThat(servedBy).as("both are measured first").contains("lat-slow");
    assertThat(servedBy.subList(4, 8)).containsOnly("lat-fast");
  }

  @Test
  void a_stream_that_fails_before_its_first_byte_is_served_by_the_next_deployment_invisibly() {
    cluster.fake.setBehaviour("early-broken", Behaviour.defaults().withFailure(Failure.CUT_AFTER_N, 0));
    FailoverCluster.Streamed s = cluster.stream(0, tenant.key(), "stream-early", "hello there");
    assertThat(s.status()).isEqualTo(200);
    assertThat(s.deployment()).isEqualTo("early-ok");
    assertThat(s.hasError()).isFalse();
    assertThat(s.endedCleanly()).isTrue();
    assertThat(s.text()).isNotEmpty();
    assertThat(cluster.fake.requestCount("early-broken")).isEqualTo(1);
  }

  @Test
  void a_stream_whose_first_event_is_a_provider_error_is_served_by_the_next_deployment_invisibly() {
    cluster.fake.setBehaviour("errfirst-broken", Behaviour.defaults().withFailure(Failure.IN_BAND_ERROR, 0));
    FailoverCluster.Streamed s = cluster.stream(0, tenant.key(), "stream-error-first", "hello there");
    assertThat(s.status()).isEqualTo(200);
    assertThat(s.deployment()).as("answered through the Anthropic wire instead").isEqualTo("errfirst-ok");
    assertThat(s.hasError()).isFalse();
    assertThat(s.endedCleanly()).isTrue();
    assertThat(s.frames().stream().filter(f -> f.json() != null && f.json().path("choices").path(0)
        .path("delta").has("role")).count()).as("one role chunk: the failed attempt's was held back").isEqualTo(1);
  }

  @Test
  void a_stream_cut_after_its_first_byte_ends_with_an_in_band_error_and_is_billed() {
    cluster.fake.setBehaviour("cut-broken", Behaviour.defaults().withChunks(8).withFailure(Failure.CUT_AFTER_N, 3));
    FailoverCluster.Streamed s = cluster.stream(0, tenant.key(), "stream-cut", "hello there");
    assertThat(s.status()).isEqualTo(200);
    assertThat(s.deployment()).as("no failover once the client has bytes").isEqualTo("cut-broken");
    assertThat(s.hasError()).isTrue();
    assertThat(s.endedCleanly()).isFalse();
    assertThat(cluster.fake.requestCount("cut-ok")).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      JsonNode page = cluster.admin(0, "GET", "/admin/tenants/" + tenant.id() + "/audit?model=stream-cut", null, 200);
      for (JsonNode record : page.path("data")) {
        if (record.path("output_tokens").asLong() > 0 && !record.path("cost_usd").asText("0").matches("0(\\.0+)?")) {
          return true;
        }
      }
      return false;
    });
  }

  @Test
  void the_dry_run_names_the_order_and_why_and_follows_an_operator_opening_a_circuit() {
    JsonNode before = cluster.admin(1, "GET", "/admin/routing/explain?model=explained", null, 200);
    assertThat(ids(before.path("candidates"))).containsExactly("explain-a", "explain-b");
    assertThat(before.path("candidates").path(0).path("reason").asText()).isNotBlank();

    cluster.admin(0, "POST", "/admin/circuits/open?deployment=explain-a", "{\"seconds\": 60, \"reason\": \"maintenance\"}", 200);
    await().atMost(Duration.ofSeconds(1)).until(() -> phase(1, "explain-a").equals("open"));
    JsonNode during = cluster.admin(1, "GET", "/admin/routing/explain?model=explained", null, 200);
    assertThat(ids(during.path("candidates"))).containsExactly("explain-b");
    assertThat(during.path("skipped").path(0).path("deployment").asText()).isEqualTo("explain-a");
    HttpResponse<String> served = cluster.chat(1, tenant.key(), "explained", "hello");
    assertThat(served.headers().firstValue("x-tollgate-deployment")).contains("explain-b");

    cluster.admin(0, "POST", "/admin/circuits/close?deployment=explain-a", null, 200);
    await().atMost(Duration.ofSeconds(1)).until(() -> phase(1, "explain-a").equals("closed"));
    assertThat(ids(cluster.admin(1, "GET", "/admin/routing/explain?model=explained", null, 200).path("candidates")))
        .containsExactly("explain-a", "explain-b");
  }

  @Test
  void a_key_picks_a_strategy_by_header_only_where_the_tenant_policy_allows_it() {
    FailoverCluster.Tenant own = cluster.newTenant();
    HttpResponse<String> refused = withStrategy(own.key(), "by-cost", "priority");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(Calls.json(refused.body()).path("error").path("code").asText()).isEqualTo("strategy_not_allowed");

    cluster.admin(0, "PUT", "/admin/tenants/" + own.id() + "/routing", "{\"strategy_keys\": [\"" + own.keyId() + "\"]}", 200);
    await().atMost(Duration.ofSeconds(15)).until(() -> withStrategy(own.key(), "by-cost", "priority").statusCode() == 200);
    assertThat(withStrategy(own.key(), "by-cost", "priority").headers().firstValue("x-tollgate-deployment"))
        .contains("cost-dear");
    assertThat(cluster.chat(0, own.key(), "by-cost", "hello").headers().firstValue("x-tollgate-deployment"))
        .as("without the header the model's own strategy").contains("cost-cheap");
    assertThat(withStrategy(own.key(), "by-cost", "fastest").statusCode()).isEqualTo(400);
  }

  @Test
  void a_tenant_pinned_to_a_deployment_is_served_only_by_it() {
    FailoverCluster.Tenant own = cluster.newTenant();
    cluster.admin(0, "PUT", "/admin/tenants/" + own.id() + "/routing", "{\"pinned\": {\"ha-three\": \"three-b\"}}", 200);
    await().atMost(Duration.ofSeconds(15)).until(() -> cluster.chat(0, own.key(), "ha-three", "hello")
        .headers().firstValue("x-tollgate-deployment").orElse("").equals("three-b"));
    JsonNode explained = cluster.admin(0, "GET", "/admin/routing/explain?model=ha-three&tenant=" + own.id(), null, 200);
    assertThat(ids(explained.path("candidates"))).containsExactly("three-b");
    assertThat(explained.path("skipped")).hasSize(2);
  }

  private static HttpResponse<String> withStrategy(String key, String model, String strategy) {
    return FailoverCluster.send(Calls.post(cluster.url(0) + "/v1/chat/completions", Calls.chatBody(model, "hello"))
        .header("authorization", "Bearer " + key).header("x-tollgate-strategy", strategy).build());
  }

  @Test
  void every_answer_names_the_deployment_and_region_that_served_it() {
    HttpResponse<String> r = cluster.chat(0, tenant.key(), "ha-three", "hello");
    assertThat(r.headers().firstValue("x-tollgate-deployment")).contains("three-a");
    assertThat(r.headers().firstValue("x-tollgate-region")).contains("global");
    assertThat(r.headers().firstValue("x-tollgate-provider")).contains("fake-openai");
  }

  private static String phase(int node, String deployment) {
    JsonNode circuits = cluster.admin(node, "GET", "/admin/circuits", null, 200);
    for (JsonNode c : circuits.path("data")) {
      if (c.path("deployment").asText().equals(deployment)) {
        return c.path("phase").asText();
      }
    }
    throw new AssertionError("no circuit " + deployment + " in " + circuits);
  }

  private static List<String> ids(JsonNode candidates) {
    List<String> out = new ArrayList<>();
    candidates.forEach(c -> out.add(c.path("deployment").asText()));
    return out;
  }

  private static List<String> modelsInOrder(String prefix) {
    return cluster.fake.requests().stream()
        .map(RecordedRequest::model)
        .filter(m -> m != null && m.startsWith(prefix))
        .toList();
  }
}
