package io.tollgate.node.budget.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.BudgetAdmin;
import io.tollgate.node.testing.BudgetHttpTest;
import io.tollgate.node.testing.Calls;
import io.tollgate.node.testing.CatalogPrice;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Many requests arriving at once for a fresh key with a small USD budget: the budget admits only
 * as many as their worst cases fit in, refuses the rest with a 429 {@code budget_exceeded}, and what
 * it admitted is in the ledger exactly as the audit records price it.
 */
class ParallelFirstRequestsTest extends BudgetHttpTest {
  private static final String MODEL = "demo-openai";
  // The provider answers after 2 s, so every request is in flight before the first one settles.
  private static final String PROMPT = "[[fake:latency=2000]] Please say hello to the budget";
  private static final int MAX_TOKENS = 16;
  private static final int REQUESTS = 64;

  @Test
  void parallel_first_requests_never_spend_more_than_the_budget_and_the_ledger_matches_the_audit() {
    long worstCase = BudgetAdmin.worstCaseMicros(MODEL, PROMPT, MAX_TOKENS);
    long budget = worstCase * (REQUESTS / 3);
    admin.setLimits(tenant.id(), BudgetAdmin.usdLimit("tenant", "monthly", BudgetAdmin.usd(budget)));

    String body = Calls.chatBody(MODEL, PROMPT, MAX_TOKENS);
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      calls.add(gateway.http().sendAsync(Calls.openAiChat(gateway.url(), tenant.key().secret(), body),
          HttpResponse.BodyHandlers.ofString()));
    }
    List<HttpResponse<String>> responses = calls.stream().map(CompletableFuture::join).toList();

    Map<Integer, List<HttpResponse<String>>> byStatus =
        responses.stream().collect(Collectors.groupingBy(HttpResponse::statusCode));
    assertThat(byStatus.keySet()).as("statuses").containsExactlyInAnyOrder(200, 429);
    for (HttpResponse<String> refused : byStatus.get(429)) {
      JsonNode error = Calls.json(refused.body()).get("error");
      assertThat(error.get("type").asText()).isEqualTo("budget_exceeded");
      assertThat(error.get("code").asText()).isEqualTo("budget_exceeded");
      assertThat(error.get("message").asText()).contains("Budget exceeded");
      assertThat(refused.headers().firstValue("retry-after")).as("retry-after until the month ends").isPresent();
    }
    List<String> admittedIds = byStatus.get(200).stream()
        .map(r -> r.headers().firstValue("x-request-id").orElseThrow()).toList();
    // Each admission reserves its worst case until it settles, and none settles before all are
    // decided: the budget pays for REQUESTS / 3 of them, no more.
    assertThat(admittedIds).as("admitted calls, each reserving %d of %d micro-dollars", worstCase, budget)
        .isNotEmpty().hasSizeLessThanOrEqualTo(REQUESTS / 3);
    Map<String, JsonNode> receivedUsage = byStatus.get(200).stream().collect(Collectors.toMap(
        r -> r.headers().firstValue("x-request-id").orElseThrow(), r -> Calls.json(r.body()).get("usage")));
    long receivedCost = receivedUsage.values().stream().mapToLong(u -> CatalogPrice.of(MODEL).costMicros(
        u.get("prompt_tokens").asLong(), u.path("prompt_tokens_details").path("cached_tokens").asLong(), 0,
        u.get("completion_tokens").asLong())).sum();
    assertThat(receivedCost).as("Σ cost of the answers the clients received").isLessThanOrEqualTo(budget);

    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      Map<String, List<JsonNode>> records = admin.audit(tenant.id()).stream()
          .collect(Collectors.groupingBy(r -> r.get("request_id").asText()));
      for (String id : admittedIds) {
        assertThat(records.get(id)).as("audit records of admitted request %s", id).hasSize(1);
      }
      long auditedCost = admittedIds.stream().mapToLong(id -> records.get(id).get(0).get("cost_micros").asLong()).sum();
      JsonNode line = admin.spendLine(tenant.id(), "tenant", "usd");
      assertThat(line.get("held").asLong()).as("nothing held once every lease is settled").isZero();
      assertThat(line.get("spent").asLong()).as("ledger spend").isEqualTo(auditedCost);
      JsonNode reconciled = admin.reconcile(tenant.id(), "monthly");
      assertThat(reconciled.get("consistent").asBoolean()).as("reconcile: %s", reconciled).isTrue();
      assertThat(reconciled.at("/data/0/ledger_micros").asLong()).isEqualTo(auditedCost);
      assertThat(reconciled.at("/data/0/audit_micros").asLong()).isEqualTo(auditedCost);
    });

    Map<String, JsonNode> records = admin.audit(tenant.id()).stream()
        .collect(Collectors.toMap(r -> r.get("request_id").asText(), Function.identity(), (a, b) -> a));
    for (String id : admittedIds) {
      JsonNode record = records.get(id);
      assertThat(record.get("status").asInt()).isEqualTo(200);
      assertThat(record.get("lease_id").asText("")).as("lease of %s", id).isNotBlank();
      assertThat(record.get("cost_micros").asLong()).isPositive().isLessThanOrEqualTo(worstCase);
      assertThat(record.get("output_tokens").asLong()).as("billed output of %s", id)
          .isEqualTo(receivedUsage.get(id).get("completion_tokens").asLong());
    }
    long spent = admin.spendLine(tenant.id(), "tenant", "usd").get("spent").asLong();
    assertThat(spent).as("spent within the budget of %d micro-dollars", budget).isPositive().isLessThanOrEqualTo(budget);
  }
}
