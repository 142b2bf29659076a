package io.tollgate.node.budget.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.BudgetAdmin;
import io.tollgate.node.testing.BudgetHttpTest;
import io.tollgate.node.testing.Calls;
import io.tollgate.node.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Two keys of one team share the team's budget: together they cannot spend more than it. */
class TeamBudgetTest extends BudgetHttpTest {
  private static final String MODEL = "demo-openai";
  private static final String PROMPT = "A short question from the research team";
  private static final int MAX_TOKENS = 16;
  private static final int ROUNDS = 20;

  @Test
  void two_keys_of_a_team_together_stay_within_the_team_budget() {
    TestGateway.Key first = admin.createKey(tenant.id(), "research");
    TestGateway.Key second = admin.createKey(tenant.id(), "research");
    long teamBudget = BudgetAdmin.worstCaseMicros(MODEL, PROMPT, MAX_TOKENS) * 6;
    admin.setLimits(tenant.id(), BudgetAdmin.usdLimit("team:research", "daily", BudgetAdmin.usd(teamBudget)));

    List<String> admitted = new ArrayList<>();
    Map<String, Integer> refusedPerKey = new HashMap<>();
    Map<String, Integer> servedPerKey = new HashMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      for (TestGateway.Key key : List.of(first, second)) {
        HttpResponse<String> response = chat(key);
        if (response.statusCode() == 200) {
          admitted.add(response.headers().firstValue("x-request-id").orElseThrow());
          servedPerKey.merge(key.keyId(), 1, Integer::sum);
        } else {
          assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
          JsonNode error = Calls.json(response.body()).get("error");
          assertThat(error.get("type").asText()).isEqualTo("budget_exceeded");
          assertThat(error.get("message").asText()).contains("team research");
          refusedPerKey.merge(key.keyId(), 1, Integer::sum);
        }
      }
    }

    assertThat(servedPerKey).as("both keys spent from the team budget").containsKeys(first.keyId(), second.keyId());
    assertThat(refusedPerKey).as("both keys ran into the shared limit").containsKeys(first.keyId(), second.keyId());
    assertThat(chat(tenant.key()).statusCode()).as("a key outside the team is not limited").isEqualTo(200);

    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      Map<String, JsonNode> records = admin.audit(tenant.id()).stream()
          .collect(Collectors.toMap(r -> r.get("request_id").asText(), r -> r, (a, b) -> a));
      assertThat(records.keySet()).containsAll(admitted);
      long audited = admitted.stream().mapToLong(id -> records.get(id).get("cost_micros").asLong()).sum();
      JsonNode line = admin.spendLine(tenant.id(), "team:research", "usd");
      assertThat(line.get("spent").asLong()).as("team ledger").isEqualTo(audited);
      assertThat(line.get("spent").asLong() + line.get("held").asLong()).isLessThanOrEqualTo(teamBudget);
    });
  }

  private static HttpResponse<String> chat(TestGateway.Key key) {
    return gateway.send(Calls.openAiChat(gateway.url(), key.secret(), Calls.chatBody(MODEL, PROMPT, MAX_TOKENS)));
  }
}
