package io.tollgate.node.metrics;

import static io.tollgate.node.metrics.GatewayMetricsScrapeTest.awaitScrape;
import static io.tollgate.node.metrics.GatewayMetricsScrapeTest.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.Calls;
import io.tollgate.node.testing.FreshTenantTest;
import io.tollgate.node.testing.StreamedAnswer;
import io.tollgate.node.testing.StreamingClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real traffic through the gateway and the fake provider shows up on the Prometheus endpoint with
 * the tokens, cost, latency and time to first token of the audit records, under the labels the
 * dashboard and alerts use. The test gateway labels every tenant by its id
 * ({@code tollgate.metrics.tenant-label = all}), so a fresh tenant's series hold exactly its calls.
 * Histogram sums are compared within 2 % (Kamon keeps two significant digits).
 */
@ExtendWith(RunningTelemetry.class)
class PrometheusAfterTrafficTest extends FreshTenantTest {
  @Test
  void scrape_after_traffic_matches_the_audit_records_of_the_calls() {
    String key = tenant.key().secret();

    // given: plain and streamed calls from both client APIs, on both demo backends, some with cached prompt tokens
    List<String> requestIds = new ArrayList<>();
    requestIds.add(plainOpenAi(key, "demo-openai", "[[fake:cached=4]] what is a toll gate"));
    requestIds.add(plainAnthropic(key, "demo-anthropic", "[[fake:cached=2]] name three rivers"));
    requestIds.add(streamed(StreamingClient.OPENAI, key, "demo-anthropic", "[[fake:chunks=5,ttft=30]] count to five"));
    requestIds.add(streamed(StreamingClient.ANTHROPIC, key, "demo-openai", "[[fake:chunks=3,ttft=20]] say hello"));

    // when: every call is audited
    List<JsonNode> audits = requestIds.stream().map(id -> gateway.awaitAudit(tenant.id(), id)).toList();
    assertThat(sum(audits, "cached_tokens")).as("the fake reported cached tokens").isPositive();
    assertThat(sum(audits, "cost_micros")).isPositive();

    // then: the scrape holds the same calls, tokens and money
    Map<String, String> ours = Map.of("tenant", tenant.id());
    awaitScrape(s -> {
      assertThat(s.total("tollgate_requests_total", ours)).isEqualTo(audits.size());
      assertThat(s.total("tollgate_requests_total", with(ours, "outcome", "success"))).isEqualTo(audits.size());
      assertThat(s.total("tollgate_requests_total", with(ours, "streamed", "true"))).isEqualTo(count(audits, streamed()));
      assertThat(s.total("tollgate_errors_total", ours)).isZero();

      assertThat(s.total("tollgate_tokens_total", with(ours, "gen_ai_token_type", "input"))).isEqualTo(sum(audits, "input_tokens"));
      assertThat(s.total("tollgate_tokens_total", with(ours, "gen_ai_token_type", "output"))).isEqualTo(sum(audits, "output_tokens"));
      assertThat(s.total("tollgate_tokens_total", with(ours, "gen_ai_token_type", "cached"))).isEqualTo(sum(audits, "cached_tokens"));
      assertThat(s.total("tollgate_cost_usd_total", ours)).isEqualTo(sum(audits, "cost_micros"));
      assertThat(s.total("gen_ai_client_token_usage_count", with(ours, "gen_ai_token_type", "input"))).isEqualTo(audits.size());
      assertThat(s.total("gen_ai_client_token_usage_sum", with(ours, "gen_ai_token_type", "output")))
          .isCloseTo(sum(audits, "output_tokens"), within(0.02 * sum(audits, "output_tokens") + 1));

      assertThat(s.total("gen_ai_server_request_duration_seconds_count", ours)).isEqualTo(audits.size());
      assertThat(s.find("gen_ai_server_request_duration_seconds_bucket", with(ours, "le", "+Inf")))
          .extracting(Sample::value).containsOnly(1.0).hasSize(audits.size());
      double latencySeconds = sum(audits, "latency_ms") / 1000.0;
      assertThat(s.total("gen_ai_server_request_duration_seconds_sum", ours))
          .isCloseTo(latencySeconds, within(0.02 * latencySeconds + 0.001 * audits.size()));

      List<JsonNode> streams = audits.stream().filter(streamed()).toList();
      assertThat(s.total("gen_ai_server_time_to_first_token_seconds_count", ours)).isEqualTo(streams.size());
      double ttftSeconds = sum(streams, "ttft_ms") / 1000.0;
      assertThat(s.total("gen_ai_server_time_to_first_token_seconds_sum", ours))
          .isCloseTo(ttftSeconds, within(0.02 * ttftSeconds + 0.001 * streams.size()));
    });
  }

  @Test
  void each_call_is_labelled_with_its_model_provider_client_api_and_upstream_model() {
    String key = tenant.key().secret();

    List<JsonNode> audits = List.of(
        gateway.awaitAudit(tenant.id(), plainOpenAi(key, "demo-anthropic", "[[fake:cached=3]] one")),
        gateway.awaitAudit(tenant.id(), plainAnthropic(key, "demo-openai", "two words")),
        gateway.awaitAudit(tenant.id(), streamed(StreamingClient.OPENAI, key, "demo-openai", "[[fake:chunks=4]] three")));

    awaitScrape(s -> {
      for (JsonNode audit : audits) {
        Map<String, String> call = Map.of(
            "tenant", tenant.id(),
            "model", audit.get("model").asText(),
            "provider", audit.get("provider").asText(),
            "client_api", audit.get("client_api").asText(),
            "gen_ai_request_model", audit.get("model").asText(),
            "gen_ai_response_model", audit.get("upstream_model").asText(),
            "gen_ai_operation_name", "chat");
        String description = audit.toString();
        assertThat(s.total("tollgate_requests_total", with(call, "streamed", audit.get("streamed").asText(), "outcome", "success")))
            .as(description).isEqualTo(1);
        assertThat(s.total("tollgate_cost_usd_total", call)).as(description).isEqualTo(audit.get("cost_micros").asLong());
        assertThat(s.total("tollgate_tokens_total", with(call, "gen_ai_token_type", "input")))
            .as(description).isEqualTo(audit.get("input_tokens").asLong());
        assertThat(s.total("tollgate_tokens_total", with(call, "gen_ai_token_type", "output")))
            .as(description).isEqualTo(audit.get("output_tokens").asLong());
        assertThat(s.total("tollgate_tokens_total", with(call, "gen_ai_token_type", "cached")))
            .as(description).isEqualTo(audit.get("cached_tokens").asLong());
        assertThat(s.total("gen_ai_server_request_duration_seconds_count", call)).as(description).isEqualTo(1);
      }
      Map<String, String> ours = Map.of("tenant", tenant.id());
      assertThat(s.values("tollgate_requests_total", "gen_ai_system", ours)).containsExactlyInAnyOrder("openai", "anthropic");
      assertThat(s.values("tollgate_requests_total", "provider", ours)).containsExactlyInAnyOrder("fake-openai", "fake-anthropic");
    });
  }

  private String plainOpenAi(String key, String model, String text) {
    HttpResponse<String> response = gateway.send(Calls.openAiChat(gateway.url(), key, Calls.chatBody(model, text)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return StreamingClient.OPENAI.requestId(response);
  }

  private String plainAnthropic(String key, String model, String text) {
    String body = "{\"model\":\"" + model + "\",\"max_tokens\":256,\"messages\":[{\"role\":\"user\",\"content\":\""
        + text + "\"}]}";
    HttpResponse<String> response = gateway.send(Calls.anthropicMessages(gateway.url(), key, body));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return StreamingClient.ANTHROPIC.requestId(response);
  }

  private String streamed(StreamingClient client, String key, String model, String text) {
    StreamedAnswer answer = client.stream(gateway, key, model, text);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.endedCleanly()).as("stream of %s ended cleanly", model).isTrue();
    return answer.requestId();
  }

  private static Predicate<JsonNode> streamed() {
    return a -> a.get("streamed").asBoolean();
  }

  private static long count(List<JsonNode> audits, Predicate<JsonNode> which) {
    return audits.stream().filter(which).count();
  }

  private static long sum(List<JsonNode> audits, String field) {
    ToLongFunction<JsonNode> value = a -> a.get(field).asLong();
    return audits.stream().mapToLong(value).sum();
  }
}
