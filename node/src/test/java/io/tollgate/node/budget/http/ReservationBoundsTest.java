package io.tollgate.node.budget.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.fake.RecordedRequest;
import io.tollgate.node.testing.BudgetAdmin;
import io.tollgate.node.testing.BudgetHttpTest;
import io.tollgate.node.testing.Calls;
import io.tollgate.node.testing.CatalogPrice;
import io.tollgate.node.testing.SseFrame;
import io.tollgate.node.testing.SseReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * What a call can cost is capped before it is admitted, and usage cannot pass it: the output cap is
 * sent to every provider, a stream whose provider ignores it is stopped there, {@code n} is counted,
 * images are reserved at the provider's worst case. Checked from outside: the cost of what clients
 * received against the budget, and the ledger against the audit records.
 */
class ReservationBoundsTest extends BudgetHttpTest {
  private static final String OPENAI_MODEL = "demo-openai";
  private static final String ANTHROPIC_MODEL = "demo-anthropic";
  private static final int MAX_TOKENS = 8;
  /** A provider that answers 2,000 words whatever max_tokens says. */
  private static final String OVERRUN = "[[fake:ignore_max_tokens,chunks=2000,delay=1]] tell me everything";

  @Test
  void a_provider_ignoring_max_tokens_cannot_stream_a_tenant_past_its_budget() {
    long worstCase = BudgetAdmin.worstCaseMicros(OPENAI_MODEL, OVERRUN, MAX_TOKENS);
    long budget = 5 * worstCase;
    admin.setLimits(tenant.id(), BudgetAdmin.usdLimit("tenant", "daily", BudgetAdmin.usd(budget)));
    long cancelledBefore = gateway.fake.cancelledStreams();

    long receivedCost = 0;
    int answered = 0;
    for (int i = 0; i < 8; i++) {
      Streamed s = stream(Calls.openAiChat(gateway.url(), tenant.key().secret(), openAiBody(OVERRUN, true)));
      if (s.status == 429) {
        continue;
      }
      assertThat(s.status).as("status of call %d: %s", i, s.errorBody).isEqualTo(200);
      answered++;
      assertThat(s.frames).as("no in-band error").noneMatch(f -> f.json() != null && f.json().has("error"));
      assertThat(s.frames.get(s.frames.size() - 1).data().trim()).as("clean end").isEqualTo("[DONE]");
      assertThat(s.frames).anyMatch(f -> "length".equals(f.json() == null ? null
          : f.json().at("/choices/0/finish_reason").asText(null)));
      JsonNode usage = openAiUsage(s.frames);
      assertThat(usage.get("completion_tokens").asLong()).isLessThanOrEqualTo(MAX_TOKENS);
      assertThat(openAiText(s.frames).trim().split(" ").length).isLessThanOrEqualTo(MAX_TOKENS);
      receivedCost += CatalogPrice.of(OPENAI_MODEL).costMicros(usage.get("prompt_tokens").asLong(),
          usage.at("/prompt_tokens_details/cached_tokens").asLong(), 0, usage.get("completion_tokens").asLong());
    }

    assertThat(answered).isPositive();
    assertThat(receivedCost).as("cost of what the client received").isLessThanOrEqualTo(budget);
    int streams = answered;
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(gateway.fake.cancelledStreams() - cancelledBefore).as("provider streams cancelled").isGreaterThanOrEqualTo(streams));
    assertLedgerEqualsAudit(answered, receivedCost);
  }

  @Test
  void a_provider_ignoring_max_tokens_cannot_take_a_tenant_past_its_budget_with_whole_answers() {
    long worstCase = BudgetAdmin.worstCaseMicros(OPENAI_MODEL, OVERRUN, MAX_TOKENS);
    long budget = 5 * worstCase;
    admin.setLimits(tenant.id(), BudgetAdmin.usdLimit("tenant", "daily", BudgetAdmin.usd(budget)));
    long cancelledBefore = gateway.fake.cancelledStreams();

    long receivedCost = 0;
    int answered = 0;
    for (int i = 0; i < 8; i++) {
      HttpResponse<String> r = gateway.send(Calls.openAiChat(gateway.url(), tenant.key().secret(),
          openAiBody(OVERRUN, false)));
      if (r.statusCode() == 429) {
        continue;
      }
      assertThat(r.statusCode()).as("status of call %d: %s", i, r.body()).isEqualTo(200);
      answered++;
      JsonNode answer = Calls.json(r.body());
      assertThat(answer.get("object").asText()).isEqualTo("chat.completion");
      assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("length");
      assertThat(answer.at("/choices/0/message/content").asText().trim().split(" ").length)
          .isLessThanOrEqualTo(MAX_TOKENS);
      JsonNode usage = answer.get("usage");
      assertThat(usage.get("completion_tokens").asLong()).isLessThanOrEqualTo(MAX_TOKENS);
      receivedCost += CatalogPrice.of(OPENAI_MODEL).costMicros(usage.get("prompt_tokens").asLong(),
          usage.at("/prompt_tokens_details/cached_tokens").asLong(), 0, usage.get("completion_tokens").asLong());
    }

    assertThat(answered).isPositive();
    assertThat(receivedCost).as("cost of what the client received").isLessThanOrEqualTo(budget);
    int streams = answered;
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(gateway.fake.cancelledStreams() - cancelledBefore).as("provider streams cancelled")
            .isGreaterThanOrEqualTo(streams));
    assertLedgerEqualsAudit(answered, receivedCost);
  }

  @Test
  void an_anthropic_client_is_stopped_at_max_tokens_with_a_clean_message_stop() {
    long budget = 4 * BudgetAdmin.worstCaseMicros(ANTHROPIC_MODEL, OVERRUN, MAX_TOKENS);
    admin.setLimits(tenant.id(), BudgetAdmin.usdLimit("tenant", "daily", BudgetAdmin.usd(budget)));

    long receivedCost = 0;
    int answered = 0;
    for (int i = 0; i < 6; i++) {
      Streamed s = stream(Calls.anthropicMessages(gateway.url(), tenant.key().secret(),
          "{\"model\":\"" + ANTHROPIC_MODEL + "\",\"stream\":true,\"max_tokens\":" + MAX_TOKENS
              + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + OVERRUN + "\"}]}"));
      if (s.status == 429) {
        continue;
      }
      assertThat(s.status).as("status of call %d: %s", i, s.errorBody).isEqualTo(200);
      answered++;
      assertThat(s.frames).noneMatch(f -> "error".equals(f.event()));
      assertThat(s.frames.get(s.frames.size() - 1).event()).isEqualTo("message_stop");
      JsonNode delta = s.frames.stream().filter(f -> "message_delta".equals(f.event())).findFirst().orElseThrow().json();
      assertThat(delta.at("/delta/stop_reason").asText()).isEqualTo("max_tokens");
      JsonNode start = s.frames.stream().filter(f -> "message_start".equals(f.event())).findFirst().orElseThrow().json();
      long output = delta.at("/usage/output_tokens").asLong();
      assertThat(output).isLessThanOrEqualTo(MAX_TOKENS);
      JsonNode startUsage = start.at("/message/usage");
      receivedCost += CatalogPrice.of(ANTHROPIC_MODEL).costMicros(
          startUsage.path("input_tokens").asLong() + startUsage.path("cache_read_input_tokens").asLong()
              + startUsage.path("cache_creation_input_tokens").asLong(),
          startUsage.path("cache_read_input_tokens").asLong(), startUsage.path("cache_creation_input_tokens").asLong(),
          output);
    }

    assertThat(answered).isPositive();
    assertThat(receivedCost).isLessThanOrEqualTo(budget);
    assertLedgerEqualsAudit(answered, -1);
  }

  @Test
  void a_request_without_max_tokens_sends_the_reserved_cap_to_the_provider() {
    String marker = "cap-" + UUID.randomUUID();
    HttpResponse<String> openAi = gateway.send(Calls.openAiChat(gateway.url(), tenant.key().secret(),
        Calls.chatBody(OPENAI_MODEL, "hello " + marker)));
    HttpResponse<String> gemini = gateway.send(Calls.openAiChat(gateway.url(), tenant.key().secret(),
        Calls.chatBody("demo-gemini", "hello " + marker)));
    HttpResponse<String> anthropic = gateway.send(Calls.openAiChat(gateway.url(), tenant.key().secret(),
        Calls.chatBody(ANTHROPIC_MODEL, "hello " + marker)));

    assertThat(List.of(openAi.statusCode(), gemini.statusCode(), anthropic.statusCode())).containsOnly(200);
    assertThat(sentUpstream(marker, "gpt-4o-mini").get("max_tokens").asInt()).isEqualTo(4096);
    assertThat(sentUpstream(marker, "gemini-2.5-flash").at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(4096);
    assertThat(sentUpstream(marker, "claude-sonnet-4-5").get("max_tokens").asInt()).isEqualTo(4096);
  }

  @Test
  void n_above_the_configured_maximum_is_refused_before_anything_is_sent() {
    String marker = "n-" + UUID.randomUUID();
    for (String model : List.of(OPENAI_MODEL, ANTHROPIC_MODEL)) {
      for (boolean stream : List.of(false, true)) {
        HttpResponse<String> r = gateway.send(Calls.openAiChat(gateway.url(), tenant.key().secret(),
            "{\"model\":\"" + model + "\",\"n\":9,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + marker + "\"}]}"));

        assertThat(r.statusCode()).as("%s stream=%s", model, stream).isEqualTo(400);
        JsonNode error = Calls.json(r.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").asText()).isEqualTo("n");
      }
    }
    HttpResponse<String> eight = gateway.send(Calls.openAiChat(gateway.url(), tenant.key().secret(),
        "{\"model\":\"" + OPENAI_MODEL + "\",\"n\":8,\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\""
            + marker + "\"}]}"));
    assertThat(eight.statusCode()).isEqualTo(200);
    assertThat(gateway.fake.requests()).filteredOn(r -> r.body().contains(marker)).hasSize(1);
  }

  @Test
  void n_completions_are_reserved_n_times() {
    String text = "two answers please";
    long one = BudgetAdmin.worstCaseMicros(OPENAI_MODEL, text, 1000, 1);
    long two = BudgetAdmin.worstCaseMicros(OPENAI_MODEL, text, 1000, 2);
    admin.setLimits(tenant.id(), BudgetAdmin.usdLimit("tenant", "daily", BudgetAdmin.usd((one + two) / 2)));

    HttpResponse<String> refused = gateway.send(Calls.openAiChat(gateway.url(), tenant.key().secret(), nBody(text, 2)));
    HttpResponse<String> admitted = gateway.send(Calls.openAiChat(gateway.url(), tenant.key().secret(), nBody(text, 1)));

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
    assertThat(Calls.json(refused.body()).at("/error/type").asText()).isEqualTo("budget_exceeded");
    assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(200);
  }

  @Test
  void an_n_of_two_is_billed_for_both_completions() {
    admin.setLimits(tenant.id(), BudgetAdmin.usdLimit("tenant", "daily", "1.00"));

    HttpResponse<String> r = gateway.send(Calls.openAiChat(gateway.url(), tenant.key().secret(), nBody("hi", 2)));

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode record = gateway.awaitAudit(tenant.id(), r.headers().firstValue("x-request-id").orElseThrow());
    // the fake answers 8 words per completion
    assertThat(record.get("output_tokens").asLong()).isEqualTo(16);
    assertLedgerEqualsAudit(1, -1);
  }

  @Test
  void a_streamed_n_of_two_relays_the_first_completion_and_bills_both() {
    admin.setLimits(tenant.id(), BudgetAdmin.usdLimit("tenant", "daily", "1.00"));

    Streamed s = stream(Calls.openAiChat(gateway.url(), tenant.key().secret(),
        "{\"model\":\"" + OPENAI_MODEL + "\",\"n\":2,\"max_tokens\":100,\"stream\":true,"
            + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));

    assertThat(s.status).isEqualTo(200);
    assertThat(openAiText(s.frames)).isEqualTo("Fake reply 1 2 3 4 5 6");
    assertThat(openAiUsage(s.frames).get("completion_tokens").asLong()).isEqualTo(16);
    assertLedgerEqualsAudit(1, -1);
    assertThat(admin.audit(tenant.id()).get(0).get("output_tokens").asLong()).isEqualTo(16);
  }

  @Test
  void an_image_is_reserved_at_the_providers_worst_case() {
    String text = "what is in this picture";
    long textOnly = BudgetAdmin.worstCaseMicros(OPENAI_MODEL, text, 16);
    // gpt-4o-mini bills a high-detail image at up to 2,833 + 8 x 5,667 tokens
    long image = CatalogPrice.of(OPENAI_MODEL).worstCaseMicros(2833 + 8 * 5667, 0);
    admin.setLimits(tenant.id(), BudgetAdmin.usdLimit("tenant", "daily", BudgetAdmin.usd(textOnly + image / 2)));
    String withImage = "{\"model\":\"" + OPENAI_MODEL + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"" + text + "\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.png\"}}]}]}";

    HttpResponse<String> refused = gateway.send(Calls.openAiChat(gateway.url(), tenant.key().secret(), withImage));
    HttpResponse<String> admitted = gateway.send(Calls.openAiChat(gateway.url(), tenant.key().secret(),
        Calls.chatBody(OPENAI_MODEL, text, 16)));

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
    assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(200);
  }

  private static String nBody(String text, int n) {
    return "{\"model\":\"" + OPENAI_MODEL + "\",\"n\":" + n + ",\"max_tokens\":1000,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
  }

  private static String openAiBody(String text, boolean stream) {
    return "{\"model\":\"" + OPENAI_MODEL + "\",\"max_tokens\":" + MAX_TOKENS + ",\"stream\":" + stream
        + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
  }

  /** The body the fake received for the one request holding {@code marker}, for {@code upstreamModel}. */
  private static JsonNode sentUpstream(String marker, String upstreamModel) {
    List<RecordedRequest> sent = gateway.fake.requestsFor(upstreamModel).stream()
        .filter(r -> r.body().contains(marker)).toList();
    assertThat(sent).as("requests to %s", upstreamModel).hasSize(1);
    return Calls.json(sent.get(0).body());
  }

  /** Ledger == Σ audit, to the micro-dollar, once settled; {@code expectedCost} &lt; 0: any. */
  private void assertLedgerEqualsAudit(int answered, long expectedCost) {
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      List<JsonNode> records = admin.audit(tenant.id()).stream().filter(r -> r.get("status").asInt() == 200).toList();
      assertThat(records).hasSize(answered);
      long audited = records.stream().mapToLong(r -> r.get("cost_micros").asLong()).sum();
      if (expectedCost >= 0) {
        assertThat(audited).as("audited cost against what the clients were told").isEqualTo(expectedCost);
      }
      JsonNode reconciled = admin.reconcile(tenant.id(), "daily");
      assertThat(reconciled.get("consistent").asBoolean()).as("reconcile: %s", reconciled).isTrue();
      assertThat(reconciled.at("/data/0/ledger_micros").asLong()).isEqualTo(audited);
      assertThat(admin.spendLine(tenant.id(), "tenant", "usd").get("spent").asLong()).isEqualTo(audited);
    });
  }

  private static JsonNode openAiUsage(List<SseFrame> frames) {
    return frames.stream().map(SseFrame::json).filter(j -> j != null && j.path("usage").isObject())
        .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no usage chunk")).get("usage");
  }

  private static String openAiText(List<SseFrame> frames) {
    StringBuilder out = new StringBuilder();
    frames.forEach(f -> {
      if (f.json() != null) {
        out.append(f.json().at("/choices/0/delta/content").asText(""));
      }
    });
    return out.toString();
  }

  private record Streamed(int status, List<SseFrame> frames, String errorBody) {}

  private static Streamed stream(HttpRequest request) {
    try {
      HttpResponse<InputStream> r = gateway.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) {
        try (InputStream in = r.body()) {
          return new Streamed(r.statusCode(), List.of(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
      try (SseReader reader = new SseReader(r.body())) {
        return new Streamed(200, new ArrayList<>(reader.rest()), null);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

}
