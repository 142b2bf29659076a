package io.tollgate.node.budget.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.BudgetAdmin;
import io.tollgate.node.testing.BudgetHttpTest;
import io.tollgate.node.testing.Calls;
import io.tollgate.node.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A key limited to 3 requests per minute: the three are served with OpenAI's
 * {@code x-ratelimit-*-requests} headers counting down, the fourth in the same UTC minute is a 429
 * {@code rate_limit_error} that says how long to wait.
 */
class RequestRateLimitTest extends BudgetHttpTest {
  private static final String RESET = "(\\d+ms|\\d+(\\.\\d+)?s|1m0s)";

  @Test
  void the_fourth_request_in_a_minute_is_rate_limited_and_the_headers_count_down() {
    admin.setLimits(tenant.id(), BudgetAdmin.requestsPerMinute(tenant.key().keyId(), 3));
    // All four requests must fall into one UTC minute.
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> Instant.now().atZone(ZoneOffset.UTC).getSecond() < 55);

    List<HttpResponse<String>> served = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      served.add(chat());
    }
    HttpResponse<String> fourth = chat();

    List<Long> remaining = new ArrayList<>();
    for (HttpResponse<String> response : served) {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.headers().firstValue("x-ratelimit-limit-requests")).hasValue("3");
      assertThat(response.headers().firstValue("x-ratelimit-reset-requests").orElseThrow()).matches(RESET);
      remaining.add(Long.parseLong(response.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow()));
    }
    assertThat(remaining).as("remaining requests after each call").containsExactly(2L, 1L, 0L);

    assertThat(fourth.statusCode()).isEqualTo(429);
    JsonNode error = Calls.json(fourth.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("rate_limit_error");
    assertThat(error.get("message").asText()).contains("3 requests per minute");
    long retryAfter = Long.parseLong(fourth.headers().firstValue("retry-after").orElseThrow());
    assertThat(retryAfter).isBetween(1L, 60L);
    assertThat(fourth.headers().firstValue("x-ratelimit-limit-requests")).hasValue("3");
    assertThat(fourth.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
  }

  @Test
  void a_key_without_a_rate_limit_is_not_slowed_by_another_keys_limit() {
    TestGateway.Key other = admin.createKey(tenant.id(), null);
    admin.setLimits(tenant.id(), BudgetAdmin.requestsPerMinute(tenant.key().keyId(), 1));

    for (int i = 0; i < 3; i++) {
      HttpResponse<String> response = gateway.send(Calls.openAiChat(gateway.url(), other.secret(),
          Calls.chatBody("demo-openai", "hello")));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.headers().firstValue("x-ratelimit-limit-requests")).isEmpty();
    }
  }

  private HttpResponse<String> chat() {
    return gateway.send(Calls.openAiChat(gateway.url(), tenant.key().secret(), Calls.chatBody("demo-openai", "hello")));
  }
}
