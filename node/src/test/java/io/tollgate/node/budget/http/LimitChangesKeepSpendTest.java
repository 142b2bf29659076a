package io.tollgate.node.budget.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.BudgetAdmin;
import io.tollgate.node.testing.BudgetHttpTest;
import io.tollgate.node.testing.Calls;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Changing a tenant's limits while it spends never gives its budget back: a new time zone
 * continues the current day from its spend, and a limit removed and added again keeps its ledger.
 */
class LimitChangesKeepSpendTest extends BudgetHttpTest {
  private static final String MODEL = "demo-openai";

  private static String dailyUsd(String zone, String usd) {
    return "{\"time_zone\":\"" + zone + "\",\"limits\":[{\"scope\":\"tenant\",\"kind\":\"usd\",\"period\":\"daily\","
        + "\"amount\":\"" + usd + "\"}]}";
  }

  /** One answered call; waits until its audited cost is settled in the ledger and returns it. */
  private long spendOnce() {
    HttpResponse<String> answer = gateway.send(Calls.openAiChat(gateway.url(), tenant.key().secret(),
        Calls.chatBody(MODEL, "What is a budget?", 16)));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode record = gateway.awaitAudit(tenant.id(), answer.headers().firstValue("x-request-id").orElseThrow());
    long cost = record.get("cost_micros").asLong();
    assertThat(cost).isPositive();
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
        assertThat(admin.spendLine(tenant.id(), "tenant", "usd").get("spent").asLong()).isEqualTo(cost));
    return cost;
  }

  @Test
  void a_new_time_zone_continues_todays_spend_in_its_own_day() {
    admin.setLimits(tenant.id(), dailyUsd("UTC", "5.00"));
    long cost = spendOnce();
    String utcDayStart = admin.spendLine(tenant.id(), "tenant", "usd").get("window_start").asText();

    admin.setLimits(tenant.id(), dailyUsd("Pacific/Kiritimati", "5.00"));

    JsonNode line = admin.spendLine(tenant.id(), "tenant", "usd");
    assertThat(line.get("window_start").asText()).as("the day is Kiritimati's now").isNotEqualTo(utcDayStart);
    assertThat(line.get("spent").asLong()).as("and it starts from what today cost").isEqualTo(cost);
  }

  @Test
  void a_limit_removed_and_added_again_keeps_its_spend() {
    admin.setLimits(tenant.id(), BudgetAdmin.usdLimit("tenant", "daily", "5.00"));
    long cost = spendOnce();

    admin.setLimits(tenant.id(), "{\"limits\":[{\"scope\":\"tenant\",\"kind\":\"tokens\",\"period\":\"daily\","
        + "\"amount\":1000000}]}");
    admin.setLimits(tenant.id(), BudgetAdmin.usdLimit("tenant", "daily", "3.00"));

    assertThat(admin.spendLine(tenant.id(), "tenant", "usd").get("spent").asLong()).isEqualTo(cost);
  }
}
