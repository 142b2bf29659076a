package io.tollgate.node.budget.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.anthropic.client.AnthropicClient;
import com.anthropic.errors.RateLimitException;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.BudgetAdmin;
import io.tollgate.node.testing.BudgetHttpTest;
import io.tollgate.node.testing.Calls;
import io.tollgate.node.testing.SdkClients;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A request over budget is refused in the caller's own API shape, before any provider is called. */
class BudgetRejectionShapeTest extends BudgetHttpTest {

  @BeforeEach
  void noBudget() {
    admin.setLimits(tenant.id(), BudgetAdmin.usdLimit("tenant", "daily", "0"));
  }

  @Test
  void an_anthropic_client_over_budget_gets_a_rate_limit_error_in_anthropic_shape() {
    String marker = "over-budget-" + UUID.randomUUID();
    HttpResponse<String> response = gateway.send(Calls.anthropicMessages(gateway.url(), tenant.key().secret(),
        "{\"model\":\"demo-anthropic\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\""
            + marker + "\"}]}"));

    assertThat(response.statusCode()).isEqualTo(429);
    JsonNode body = Calls.json(response.body());
    assertThat(body.get("type").asText()).isEqualTo("error");
    assertThat(body.at("/error/type").asText()).isEqualTo("rate_limit_error");
    assertThat(body.at("/error/message").asText()).contains("Budget exceeded");
    long retryAfter = Long.parseLong(response.headers().firstValue("retry-after").orElseThrow());
    assertThat(retryAfter).as("seconds until the tenant's day ends").isBetween(1L, 86_400L);
    assertThat(gateway.fake.requests()).as("the provider was not called")
        .noneMatch(r -> r.body().contains(marker));
  }

  @Test
  void the_anthropic_sdk_sees_a_rate_limit_exception() {
    AnthropicClient client = SdkClients.anthropic(gateway, tenant.key().secret());

    RateLimitException e = catchThrowableOfType(RateLimitException.class, () -> client.messages().create(
        MessageCreateParams.builder().model("demo-anthropic").maxTokens(16).addUserMessage("hi").build()));

    assertThat(e).isNotNull();
    assertThat(e.statusCode()).isEqualTo(429);
  }

  @Test
  void an_openai_client_over_budget_gets_budget_exceeded() {
    HttpResponse<String> response = gateway.send(Calls.openAiChat(gateway.url(), tenant.key().secret(),
        Calls.chatBody("demo-openai", "hi")));

    assertThat(response.statusCode()).isEqualTo(429);
    JsonNode error = Calls.json(response.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("budget_exceeded");
    assertThat(error.get("message").asText()).contains("daily USD budget of the tenant");
    assertThat(response.headers().firstValue("retry-after")).isPresent();
  }
}
