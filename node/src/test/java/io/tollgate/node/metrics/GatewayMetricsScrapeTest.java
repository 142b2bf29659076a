package io.tollgate.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.tollgate.protocol.ClientApi;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Calls recorded through {@link GatewayMetrics} show up on the node's Prometheus endpoint with the
 * names, labels and values the dashboard and alerts rely on. Histogram sums are compared within
 * 2 %: Kamon keeps distributions with two significant digits.
 */
@ExtendWith(RunningTelemetry.class)
class GatewayMetricsScrapeTest {
  private final String region = "test-" + UUID.randomUUID();
  private final Map<String, String> inRegion = Map.of("region", region);

  @Test
  void scrape_shows_tokens_cost_latency_and_ttft_of_each_call() {
    GatewayMetrics metrics = GatewayMetrics.create(RunningTelemetry.CONFIG, region);

    metrics.recordCall(chat("acme", true, 200, null, 1200, 340, 200, 4_500, 1_800, 250));
    metrics.recordCall(chat("acme", true, 200, null, 800, 60, 0, 2_100, 900, 120));
    metrics.recordCall(chat("acme", false, 200, null, 50, 10, 0, 330, 400, -1));

    Map<String, String> acme = Map.of(
        "region", region, "tenant", "acme", "model", "demo-openai", "provider", "fake-openai",
        "client_api", "openai", "cache", "none", "gen_ai_system", "openai",
        "gen_ai_request_model", "demo-openai", "gen_ai_response_model", "gpt-4o-mini",
        "gen_ai_operation_name", "chat");
    awaitScrape(s -> {
      assertThat(s.total("tollgate_cost_usd_total", acme)).isEqualTo(4_500 + 2_100 + 330);
      assertThat(s.total("tollgate_requests_total", with(acme, "outcome", "success", "streamed", "true"))).isEqualTo(2);
      assertThat(s.total("tollgate_requests_total", with(acme, "outcome", "success", "streamed", "false"))).isEqualTo(1);

      Map<String, String> input = with(acme, "gen_ai_token_type", "input");
      assertThat(s.total("tollgate_tokens_total", input)).isEqualTo(2_050);
      assertThat(s.total("tollgate_tokens_total", with(acme, "gen_ai_token_type", "output"))).isEqualTo(410);
      assertThat(s.total("tollgate_tokens_total", with(acme, "gen_ai_token_type", "cached"))).isEqualTo(200);
      assertThat(s.total("gen_ai_client_token_usage_count", input)).isEqualTo(3);
      assertThat(s.total("gen_ai_client_token_usage_sum", input)).isCloseTo(2_050, within(41.0));
      Map<String, String> output = with(acme, "gen_ai_token_type", "output");
      assertThat(s.total("gen_ai_client_token_usage_count", output)).isEqualTo(3);
      assertThat(s.total("gen_ai_client_token_usage_sum", output)).isCloseTo(410, within(8.2));
      Map<String, String> cached = with(acme, "gen_ai_token_type", "cached");
      assertThat(s.total("gen_ai_client_token_usage_count", cached)).isEqualTo(1);
      assertThat(s.total("gen_ai_client_token_usage_sum", cached)).isCloseTo(200, within(4.0));

      Map<String, String> succeeded = with(acme, "outcome", "success");
      assertThat(s.total("gen_ai_server_request_duration_seconds_count", succeeded)).isEqualTo(3);
      assertThat(s.total("gen_ai_server_request_duration_seconds_sum", succeeded)).isCloseTo(3.1, within(0.062));
      assertThat(s.find("gen_ai_server_request_duration_seconds_bucket", with(succeeded, "le", "+Inf")))
          .singleElement().extracting(Sample::value).isEqualTo(3.0);

      assertThat(s.total("gen_ai_server_time_to_first_token_seconds_count", acme)).isEqualTo(2);
      assertThat(s.total("gen_ai_server_time_to_first_token_seconds_sum", acme)).isCloseTo(0.37, within(0.0074));
    });
  }

  @Test
  void time_histograms_use_the_genai_buckets_in_seconds() {
    GatewayMetrics metrics = GatewayMetrics.create(RunningTelemetry.CONFIG, region);

    metrics.recordCall(chat("acme", true, 200, null, 10, 10, 0, 10, 300, 30));

    awaitScrape(s -> {
      assertThat(s.values("gen_ai_server_time_to_first_token_seconds_bucket", "le", inRegion)).contains("0.02", "0.04", "+Inf");
      assertThat(s.total("gen_ai_server_time_to_first_token_seconds_bucket", with(inRegion, "le", "0.02"))).isZero();
      assertThat(s.total("gen_ai_server_time_to_first_token_seconds_bucket", with(inRegion, "le", "0.04"))).isEqualTo(1);
      assertThat(s.total("gen_ai_server_request_duration_seconds_bucket", with(inRegion, "le", "0.32"))).isEqualTo(1);
      assertThat(s.total("gen_ai_server_request_duration_seconds_bucket", with(inRegion, "le", "0.16"))).isZero();
    });
  }

  @Test
  void failed_calls_are_counted_by_outcome_and_error_type() {
    GatewayMetrics metrics = GatewayMetrics.create(RunningTelemetry.CONFIG, region);

    metrics.recordCall(chat("acme", false, 504, "upstream_timeout", 0, 0, 0, 0, 60_000, -1));
    metrics.recordCall(chat("acme", true, 499, "client_disconnected", 300, 20, 0, 90, 2_000, 150));
    metrics.recordCall(chat("acme", false, 429, "budget_exceeded", 0, 0, 0, 0, 3, -1));
    metrics.recordCall(chat("acme", false, 200, null, 5, 5, 0, 5, 100, -1));

    awaitScrape(s -> {
      assertThat(s.total("tollgate_errors_total", with(inRegion, "error_type", "upstream_timeout", "outcome", "upstream_error"))).isEqualTo(1);
      assertThat(s.total("tollgate_errors_total", with(inRegion, "error_type", "client_disconnected", "outcome", "disconnected"))).isEqualTo(1);
      assertThat(s.total("tollgate_errors_total", with(inRegion, "error_type", "budget_exceeded", "outcome", "limited"))).isEqualTo(1);
      assertThat(s.total("tollgate_errors_total", inRegion)).isEqualTo(3);
      assertThat(s.values("tollgate_requests_total", "outcome", inRegion))
          .containsExactlyInAnyOrder("upstream_error", "disconnected", "limited", "success");
      // a stream cut by the client is still billed
      assertThat(s.total("tollgate_cost_usd_total", inRegion)).isEqualTo(90 + 5);
    });
  }

  @Test
  void only_the_first_n_tenants_keep_their_own_label() {
    GatewayMetrics metrics = GatewayMetrics.create(
        ConfigFactory.parseString("tollgate.metrics.tenant-top-n = 2").withFallback(RunningTelemetry.CONFIG), region);

    for (String tenant : new String[] {"t1", "t2", "t3", "t4", "t5", "t1"}) {
      metrics.recordCall(chat(tenant, false, 200, null, 10, 10, 0, 7, 100, -1));
    }

    awaitScrape(s -> {
      assertThat(s.values("tollgate_requests_total", "tenant", inRegion)).containsExactlyInAnyOrder("t1", "t2", "other");
      assertThat(s.values("gen_ai_client_token_usage_count", "tenant", inRegion)).containsExactlyInAnyOrder("t1", "t2", "other");
      assertThat(s.total("tollgate_requests_total", with(inRegion, "tenant", "other"))).isEqualTo(3);
      assertThat(s.total("tollgate_requests_total", with(inRegion, "tenant", "t1"))).isEqualTo(2);
      assertThat(s.total("tollgate_cost_usd_total", inRegion)).isEqualTo(6 * 7);
    });
  }

  @Test
  void tenant_label_off_leaves_the_tenant_out() {
    GatewayMetrics metrics = GatewayMetrics.create(
        ConfigFactory.parseString("tollgate.metrics.tenant-label = off").withFallback(RunningTelemetry.CONFIG), region);

    metrics.recordCall(chat("acme", false, 200, null, 10, 10, 0, 7, 100, -1));
    metrics.recordCall(chat("globex", false, 200, null, 10, 10, 0, 7, 100, -1));

    awaitScrape(s -> {
      assertThat(s.total("tollgate_requests_total", inRegion)).isEqualTo(2);
      assertThat(s.find("tollgate_requests_total", inRegion)).allSatisfy(x -> assertThat(x.labels()).doesNotContainKey("tenant"));
    });
  }

  @Test
  void a_model_name_the_catalogue_does_not_know_is_labelled_unknown() {
    GatewayMetrics metrics = GatewayMetrics.create(RunningTelemetry.CONFIG, region);

    metrics.recordCall(new CallMetrics("acme", ClientApi.ANTHROPIC, "made-up-" + UUID.randomUUID(), null, null,
        false, 404, "not_found", 0, 0, 0, 0, 2, -1));
    metrics.recordCall(new CallMetrics("acme", ClientApi.ANTHROPIC, "claude-haiku-4-5", null, null,
        false, 403, "permission", 0, 0, 0, 0, 2, -1));

    awaitScrape(s -> {
      assertThat(s.values("tollgate_requests_total", "model", inRegion)).containsExactlyInAnyOrder("unknown", "claude-haiku-4-5");
      assertThat(s.values("tollgate_requests_total", "provider", inRegion)).containsExactly("none");
      assertThat(s.values("tollgate_requests_total", "outcome", inRegion)).containsExactly("client_error");
      assertThat(s.values("tollgate_requests_total", "client_api", inRegion)).containsExactly("anthropic");
    });
  }

  @Test
  void embeddings_calls_carry_their_operation_and_provider_system() {
    GatewayMetrics metrics = GatewayMetrics.create(RunningTelemetry.CONFIG, region);

    metrics.recordCall(new CallMetrics("acme", ClientApi.OPENAI, "text-embedding-3-small", "openai",
        "text-embedding-3-small", false, 200, null, 64, 0, 0, 1, 40, -1), GenAiOperation.EMBEDDINGS);
    metrics.recordCall(new CallMetrics("acme", ClientApi.ANTHROPIC, "claude-sonnet-4-5", "anthropic",
        "claude-sonnet-4-5", false, 200, null, 64, 8, 0, 312, 40, -1));

    awaitScrape(s -> {
      Map<String, String> embeddings = with(inRegion, "gen_ai_operation_name", "embeddings");
      assertThat(s.values("gen_ai_client_token_usage_count", "gen_ai_token_type", embeddings)).containsExactly("input");
      assertThat(s.values("tollgate_requests_total", "gen_ai_system", embeddings)).containsExactly("openai");
      assertThat(s.values("tollgate_requests_total", "gen_ai_system", with(inRegion, "gen_ai_operation_name", "chat")))
          .containsExactly("anthropic");
    });
  }

  @Test
  void gauges_show_streams_budgets_leases_and_circuits() {
    GatewayMetrics metrics = GatewayMetrics.create(
        ConfigFactory.parseString("tollgate.metrics.tenant-top-n = 1").withFallback(RunningTelemetry.CONFIG), region);

    metrics.streamStarted();
    metrics.streamStarted();
    metrics.streamStarted();
    metrics.streamEnded();
    metrics.recordBudgetUtilisation("acme", 0.42);
    metrics.recordBudgetUtilisation("globex", 0.95);
    metrics.recordBudgetUtilisation("initech", 0.30);
    metrics.recordLeaseCount(7);
    metrics.recordCircuitState("openai", GatewayMetrics.CIRCUIT_OPEN);
    metrics.recordCircuitState("anthropic", GatewayMetrics.CIRCUIT_CLOSED);

    awaitScrape(s -> {
      assertThat(s.total("tollgate_streams_in_flight", inRegion)).isEqualTo(2);
      assertThat(s.total("tollgate_budget_utilisation", with(inRegion, "tenant", "acme"))).isEqualTo(0.42);
      // tenants past the first N share "other", which shows the highest of them
      assertThat(s.total("tollgate_budget_utilisation", with(inRegion, "tenant", "other"))).isEqualTo(0.95);
      assertThat(s.total("tollgate_budget_leases", inRegion)).isEqualTo(7);
      assertThat(s.total("tollgate_circuit_state", with(inRegion, "provider", "openai"))).isEqualTo(2);
      assertThat(s.total("tollgate_circuit_state", with(inRegion, "provider", "anthropic"))).isZero();
    });

    metrics.streamEnded();
    metrics.streamEnded();
    metrics.recordCircuitState("openai", GatewayMetrics.CIRCUIT_HALF_OPEN);

    awaitScrape(s -> {
      assertThat(s.total("tollgate_streams_in_flight", inRegion)).isZero();
      assertThat(s.total("tollgate_circuit_state", with(inRegion, "provider", "openai"))).isEqualTo(1);
    });
  }

  static CallMetrics chat(
      String tenant, boolean streamed, int status, String errorType, long input, long output, long cached,
      long costMicros, long latencyMillis, long ttftMillis) {
    return new CallMetrics(tenant, ClientApi.OPENAI, "demo-openai", "fake-openai", "gpt-4o-mini", streamed,
        status, errorType, input, output, cached, costMicros, latencyMillis, ttftMillis);
  }

  static void awaitScrape(Consumer<Scrape> assertions) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .untilAsserted(() -> assertions.accept(Scrape.of(Telemetry.prometheusPort())));
  }

  static Map<String, String> with(Map<String, String> labels, String... more) {
    Map<String, String> all = new java.util.HashMap<>(labels);
    for (int i = 0; i < more.length; i += 2) {
      all.put(more[i], more[i + 1]);
    }
    return Map.copyOf(all);
  }

}
