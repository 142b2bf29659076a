package io.tollgate.node.budget.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.BudgetAdmin;
import io.tollgate.node.testing.BudgetHttpTest;
import io.tollgate.node.testing.Calls;
import io.tollgate.node.testing.LedgerCheck;
import io.tollgate.node.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The reconcile endpoint reports every limit (tenant, team and key scopes; USD, tokens, requests and
 * tokens per minute) against the audit records of its own scope and window.
 */
class ReconcileEveryLimitTest extends BudgetHttpTest {
  private static final String MODEL = "demo-openai";

  @Test
  void every_scope_and_kind_reconciles_with_the_audit_records_of_that_scope() {
    // Given a key in team "blue", a key of no team, and limits of every scope and kind
    TestGateway.Key blue = admin.createKey(tenant.id(), "blue");
    TestGateway.Key plain = admin.createKey(tenant.id(), null);
    admin.setLimits(tenant.id(), "{\"limits\":["
        + "{\"scope\":\"tenant\",\"kind\":\"usd\",\"period\":\"daily\",\"amount\":\"5.00\"},"
        + "{\"scope\":\"tenant\",\"kind\":\"tokens\",\"period\":\"monthly\",\"amount\":1000000},"
        + "{\"scope\":\"team:blue\",\"kind\":\"usd\",\"period\":\"lifetime\",\"amount\":\"5.00\"},"
        + "{\"scope\":\"key:" + blue.keyId() + "\",\"kind\":\"tokens_per_minute\",\"amount\":1000000},"
        + "{\"scope\":\"key:" + plain.keyId() + "\",\"kind\":\"requests_per_minute\",\"amount\":1000},"
        + "{\"scope\":\"key:" + plain.keyId() + "\",\"kind\":\"usd\",\"period\":\"daily\",\"amount\":\"5.00\"}]}");

    // When each key makes a few calls (one streamed)
    for (int i = 0; i < 3; i++) {
      assertThat(chat(blue, "[[fake:chunks=" + (3 + i) + "]] hello blue " + i).statusCode()).isEqualTo(200);
      assertThat(chat(plain, "[[fake:chunks=" + (5 + i) + "]] hello plain " + i).statusCode()).isEqualTo(200);
      assertThat(chat(tenant.key(), "hello tenant " + i).statusCode()).isEqualTo(200);
    }

    // Then every line of every minute the calls were received in equals the audit of its scope and window
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      List<JsonNode> audit = admin.audit(tenant.id());
      assertThat(audit).hasSize(9);
      List<JsonNode> all = LedgerCheck.assertExact(reconcile(""), audit);
      assertThat(all).extracting(l -> l.get("scope").asText() + " " + l.get("kind").asText()).containsExactlyInAnyOrder(
          "tenant usd", "tenant tokens", "team:blue usd", "key:" + plain.keyId() + " usd",
          "key:" + plain.keyId() + " requests_per_minute", "key:" + blue.keyId() + " tokens_per_minute");
      assertThat(all.get(0).get("scope").asText()).as("the tenant's lines first").isEqualTo("tenant");
      long tenantSpend = all.get(0).get("ledger").asLong();
      assertThat(tenantSpend).as("the tenant's spend").isPositive();
      assertThat(all.get(2).get("ledger").asLong()).as("team blue spent less than the tenant")
          .isPositive().isLessThan(tenantSpend);
      Set<Instant> minutes = new TreeSet<>();
      audit.forEach(r -> minutes.add(Instant.parse(r.get("time").asText()).truncatedTo(ChronoUnit.MINUTES)));
      long requests = 0;
      for (Instant minute : minutes) {
        List<JsonNode> lines = LedgerCheck.assertExact(reconcile("period=minute&at=" + minute), audit);
        assertThat(lines).hasSize(2);
        requests += lines.stream().filter(l -> l.get("kind").asText().equals("requests_per_minute"))
            .mapToLong(l -> l.get("ledger").asLong()).sum();
      }
      assertThat(requests).as("requests of the plain key over its minutes").isEqualTo(3);
    });
  }

  @Test
  void reconcile_refuses_a_time_that_is_not_an_instant() {
    HttpResponse<String> response = admin.call("GET", "/admin/tenants/" + tenant.id() + "/reconcile?at=yesterday",
        null, TestGateway.ADMIN_TOKEN);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(BudgetAdmin.json(response).at("/error/param").asText()).isEqualTo("at");
  }

  private HttpResponse<String> chat(TestGateway.Key key, String text) {
    return gateway.send(Calls.openAiChat(gateway.url(), key.secret(), Calls.chatBody(MODEL, text, 16)));
  }

  private JsonNode reconcile(String query) {
    HttpResponse<String> response = admin.call("GET", "/admin/tenants/" + tenant.id() + "/reconcile?" + query, null,
        TestGateway.ADMIN_TOKEN);
    assertThat(response.statusCode()).as("reconcile: %s", response.body()).isEqualTo(200);
    return BudgetAdmin.json(response);
  }
}
