package io.tollgate.node.api;

import static io.tollgate.node.testing.Calls.anthropicMessages;
import static io.tollgate.node.testing.Calls.chatBody;
import static io.tollgate.node.testing.Calls.json;
import static io.tollgate.node.testing.Calls.openAiChat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.Calls;
import io.tollgate.node.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad input gets a clear error in the client API's own shape, the node keeps
 * serving, and what reached the routing stage is recorded once with its error type and no cost.
 */
class BadInputTest {
  static TestGateway gateway;
  static TestGateway.Tenant tenant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.get();
    tenant = gateway.newTenant();
  }

  private HttpResponse<String> chat(String body) {
    return gateway.send(openAiChat(gateway.url(), tenant.key().secret(), body));
  }

  private static void assertOpenAiError(HttpResponse<String> r, int status, String type, String param) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.headers().firstValue("x-request-id")).isPresent();
    JsonNode error = json(r.body()).get("error");
    assertThat(error).as(r.body()).isNotNull();
    assertThat(error.get("type").asText()).isEqualTo(type);
    assertThat(error.get("message").asText()).isNotBlank();
    if (param != null) {
      assertThat(error.get("param").asText()).isEqualTo(param);
    }
  }

  private static void assertAnthropicError(HttpResponse<String> r, int status, String type) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.headers().firstValue("request-id")).isPresent();
    JsonNode body = json(r.body());
    assertThat(body.get("type").asText()).isEqualTo("error");
    assertThat(body.at("/error/type").asText()).isEqualTo(type);
    assertThat(body.at("/error/message").asText()).isNotBlank();
  }

  @Test
  void invalid_json_is_a_400_and_is_recorded_without_cost() {
    HttpResponse<String> r = chat("{\"model\": \"demo-openai\", \"messages\": [");
    assertOpenAiError(r, 400, "invalid_request_error", null);
    JsonNode audit = gateway.awaitAudit(tenant.id(), r.headers().firstValue("x-request-id").orElseThrow());
    assertThat(audit.get("status").asInt()).isEqualTo(400);
    assertThat(audit.get("error_type").asText()).isEqualTo("invalid_request");
    assertThat(audit.get("cost_micros").asLong()).isZero();
  }

  @Test
  void a_body_that_is_not_an_object_is_a_400() {
    assertOpenAiError(chat("[1,2,3]"), 400, "invalid_request_error", null);
  }

  @Test
  void missing_model_names_the_field() {
    assertOpenAiError(chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400, "invalid_request_error", "model");
  }

  @Test
  void model_of_the_wrong_type_names_the_field() {
    assertOpenAiError(chat("{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400, "invalid_request_error", "model");
  }

  @Test
  void missing_messages_names_the_field() {
    assertOpenAiError(chat("{\"model\":\"demo-openai\"}"), 400, "invalid_request_error", "messages");
  }

  @Test
  void max_tokens_of_the_wrong_type_names_the_field() {
    HttpResponse<String> r = chat("{\"model\":\"demo-openai\",\"max_tokens\":\"lots\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertOpenAiError(r, 400, "invalid_request_error", "max_tokens");
  }

  @Test
  void anthropic_request_without_max_tokens_is_a_400_in_anthropic_shape() {
    HttpResponse<String> r = gateway.send(anthropicMessages(gateway.url(), tenant.key().secret(),
        "{\"model\":\"demo-anthropic\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    assertAnthropicError(r, 400, "invalid_request_error");
  }

  @Test
  void unknown_model_is_a_404() {
    HttpResponse<String> r = chat(chatBody("no-such-model", "hi"));
    assertOpenAiError(r, 404, "not_found_error", "model");
    assertThat(json(r.body()).at("/error/code").asText()).isEqualTo("model_not_found");
  }

  @Test
  void a_model_the_key_may_not_use_is_a_403() {
    TestGateway.Key narrow = gateway.createKey(tenant.id(), List.of("demo-anthropic"));
    HttpResponse<String> r = gateway.send(openAiChat(gateway.url(), narrow.secret(), chatBody("demo-openai", "hi")));
    assertOpenAiError(r, 403, "permission_error", "model");
  }

  @Test
  void missing_key_is_a_401_in_each_api_shape() {
    HttpResponse<String> openAi = gateway.send(Calls.post(gateway.url() + "/v1/chat/completions", chatBody("demo-openai", "hi")).build());
    assertOpenAiError(openAi, 401, "authentication_error", null);
    HttpResponse<String> anthropic = gateway.send(Calls.post(gateway.url() + "/v1/messages", chatBody("demo-anthropic", "hi")).build());
    assertAnthropicError(anthropic, 401, "authentication_error");
  }

  @Test
  void unknown_key_is_a_401() {
    assertOpenAiError(gateway.send(openAiChat(gateway.url(), "tg_not-a-real-key-at-all-000000", chatBody("demo-openai", "hi"))),
        401, "authentication_error", null);
  }

  @Test
  void oversized_body_is_a_413_and_the_node_keeps_serving() {
    String filler = "x".repeat((int) TestGateway.MAX_BODY_BYTES + 10);
    HttpResponse<String> r = chat(chatBody("demo-openai", filler));
    assertOpenAiError(r, 413, "request_too_large", null);
    HttpResponse<String> next = chat(chatBody("demo-openai", "still there?"));
    assertThat(next.statusCode()).isEqualTo(200);
  }

  @Test
  void upstream_connect_failure_is_a_502_recorded_with_its_error_type() {
    HttpResponse<String> r = chat(chatBody(TestGateway.DEAD_MODEL, "hi"));
    assertOpenAiError(r, 502, "upstream_error", null);
    assertThat(r.body()).doesNotContain("dead-key");
    JsonNode audit = gateway.awaitAudit(tenant.id(), r.headers().firstValue("x-request-id").orElseThrow());
    assertThat(audit.get("status").asInt()).isEqualTo(502);
    assertThat(audit.get("error_type").asText()).isEqualTo("upstream_error");
    assertThat(audit.get("provider").asText()).isEqualTo("dead");
  }

  @Test
  void upstream_that_never_answers_is_a_504() {
    HttpResponse<String> r = gateway.send(Calls.post(gateway.url() + "/v1/chat/completions", chatBody("demo-openai", "[[fake:hang]]"))
        .header("authorization", "Bearer " + tenant.key().secret()).timeout(Duration.ofSeconds(20)).build());
    assertOpenAiError(r, 504, "upstream_timeout", null);
    JsonNode audit = gateway.awaitAudit(tenant.id(), r.headers().firstValue("x-request-id").orElseThrow());
    assertThat(audit.get("error_type").asText()).isEqualTo("upstream_timeout");
  }

  @Test
  void provider_rate_limit_keeps_its_retry_after() {
    HttpResponse<String> r = chat(chatBody("demo-openai", "[[fake:fail=429,retry-after=7]]"));
    assertOpenAiError(r, 429, "rate_limit_error", null);
    assertThat(r.headers().firstValue("retry-after")).hasValue("7");
  }

  @Test
  void unknown_endpoint_and_wrong_method_answer_in_error_shape() {
    HttpResponse<String> unknown = gateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/nope")).GET().build());
    assertOpenAiError(unknown, 404, "not_found_error", null);
    HttpResponse<String> wrongMethod = gateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + tenant.key().secret()).GET().build());
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
  }
}
