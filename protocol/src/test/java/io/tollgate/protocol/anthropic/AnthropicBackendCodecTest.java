package io.tollgate.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.ChatResponse;
import io.tollgate.protocol.canonical.Message;
import io.tollgate.protocol.canonical.Part;
import io.tollgate.protocol.canonical.Role;
import io.tollgate.protocol.canonical.StopReason;
import io.tollgate.protocol.canonical.ToolChoice;
import io.tollgate.protocol.canonical.ToolDef;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.Secret;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.translate.Fixtures;
import io.tollgate.protocol.usage.Usage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicBackendCodecTest {
  private static final AnthropicBackendCodec CODEC = AnthropicBackendCodec.INSTANCE;

  private static ChatRequest openAiRequest(List<Message> messages, List<ToolDef> tools, ToolChoice choice, Integer maxTokens) {
    return new ChatRequest(ClientApi.OPENAI, "gpt-4o", "You are terse.", messages, tools, choice, maxTokens,
        0.2, null, List.of("END"), false, false, null);
  }

  private static JsonNode body(UpstreamRequest r) throws Exception {
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void builds_a_request_for_a_non_anthropic_client_with_the_default_max_tokens() throws Exception {
    ChatRequest request = openAiRequest(
        List.of(new Message(Role.USER, List.of(new Part.Text("hi")))), List.of(), null, null);

    JsonNode body = body(CODEC.encodeRequest(request, "claude-haiku-4-5", Fixtures.endpoint(BackendSchema.ANTHROPIC)));

    assertThat(body.path("model").asText()).isEqualTo("claude-haiku-4-5");
    assertThat(body.path("max_tokens").asInt()).isEqualTo(AnthropicBackendCodec.DEFAULT_MAX_TOKENS).isEqualTo(4096);
    assertThat(body.path("system").asText()).isEqualTo("You are terse.");
    assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
    assertThat(body.path("stop_sequences").get(0).asText()).isEqualTo("END");
    assertThat(body.has("stream")).isFalse();
  }

  @Test
  void merges_consecutive_turns_of_one_role_and_puts_tool_results_first() throws Exception {
    List<Message> messages = List.of(
        new Message(Role.USER, List.of(new Part.Text("Weather in Paris?"))),
        new Message(Role.ASSISTANT, List.of(new Part.Text(""), new Part.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"))),
        new Message(Role.USER, List.of(new Part.ToolResult("call_1", "15 degrees", false))),
        new Message(Role.USER, List.of(new Part.Text("And tomorrow?"), new Part.ToolResult("call_2", "no data", true))));

    JsonNode body = body(CODEC.encodeRequest(
        openAiRequest(messages, List.of(), null, 100), "claude-haiku-4-5", Fixtures.endpoint(BackendSchema.ANTHROPIC)));

    JsonNode out = body.path("messages");
    assertThat(out.size()).isEqualTo(3);
    assertThat(out.get(1).path("content").size()).as("empty text is dropped").isEqualTo(1);
    assertThat(out.get(1).at("/content/0/input/city").asText()).isEqualTo("Paris");
    JsonNode merged = out.get(2).path("content");
    assertThat(merged.findValuesAsText("type")).containsExactly("tool_result", "tool_result", "text");
    assertThat(merged.get(1).path("is_error").asBoolean()).isTrue();
    assertThat(merged.get(0).has("is_error")).isFalse();
  }

  @Test
  void maps_tools_and_every_tool_choice() throws Exception {
    List<ToolDef> tools = List.of(new ToolDef("now", "current time", null));
    List<Message> messages = List.of(new Message(Role.USER, List.of(new Part.Text("time?"))));
    Map<ToolChoice, String> expected = Map.of(
        new ToolChoice.Auto(), "{\"type\":\"auto\"}",
        new ToolChoice.Any(), "{\"type\":\"any\"}",
        new ToolChoice.None(), "{\"type\":\"none\"}",
        new ToolChoice.Named("now"), "{\"type\":\"tool\",\"name\":\"now\"}");

    for (Map.Entry<ToolChoice, String> e : expected.entrySet()) {
      JsonNode body = body(CODEC.encodeRequest(
          openAiRequest(messages, tools, e.getKey(), 10), "m", Fixtures.endpoint(BackendSchema.ANTHROPIC)));
      assertThat(body.path("tool_choice")).isEqualTo(Json.MAPPER.readTree(e.getValue()));
      assertThat(body.at("/tools/0/input_schema")).isEqualTo(Json.MAPPER.readTree("{\"type\":\"object\"}"));
    }
  }

  @Test
  void sends_the_endpoint_version_extra_headers_and_asks_for_events_when_streaming() {
    ProviderEndpoint endpoint = new ProviderEndpoint("anthropic-eu", BackendSchema.ANTHROPIC, "https://llm.example",
        Secret.of("sk-ant-secret"), null, "2024-10-22", Map.of("anthropic-beta", "prompt-caching-2024-07-31"));
    ChatRequest request = new ChatRequest(ClientApi.OPENAI, "m", null,
        List.of(new Message(Role.USER, List.of(new Part.Text("hi")))), List.of(), null, 5, null, null, List.of(),
        true, true, null);

    UpstreamRequest r = CODEC.encodeRequest(request, "claude-haiku-4-5", endpoint);

    assertThat(r.url()).isEqualTo("https://llm.example/v1/messages");
    assertThat(r.streaming()).isTrue();
    assertThat(r.headers()).contains(
        Map.entry("x-api-key", "sk-ant-secret"),
        Map.entry("anthropic-version", "2024-10-22"),
        Map.entry("anthropic-beta", "prompt-caching-2024-07-31"),
        Map.entry("accept", "text/event-stream"));
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"stream\":true");
  }

  @Test
  void decodes_a_tool_use_answer() {
    ChatResponse r = CODEC.decodeResponse(bytes(
        "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Checking.\"},"
            + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{\"location\":\"Paris\"}}],"
            + "\"stop_reason\":\"tool_use\",\"usage\":{\"input_tokens\":50,\"output_tokens\":20}}"));

    assertThat(r.content()).containsExactly(
        new Part.Text("Checking."), new Part.ToolCall("toolu_1", "get_weather", "{\"location\":\"Paris\"}"));
    assertThat(r.stopReason()).isEqualTo(StopReason.TOOL_USE);
    assertThat(r.usage()).isEqualTo(new Usage(50, 0, 0, 20, false));
  }

  @Test
  void an_unreadable_answer_is_an_upstream_error() {
    GatewayException e = catchThrowableOfType(GatewayException.class, () -> CODEC.decodeResponse(bytes("<html>502</html>")));

    assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
    assertThat(e.getMessage()).isEqualTo("the provider answered with an unreadable body");
  }

  @Test
  void maps_provider_error_types_to_kinds() {
    assertThat(kindOf(529, "overloaded_error")).isEqualTo(ErrorKind.OVERLOADED);
    assertThat(kindOf(429, "rate_limit_error")).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(kindOf(400, "invalid_request_error")).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(kindOf(404, "not_found_error")).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(kindOf(413, "request_too_large")).isEqualTo(ErrorKind.REQUEST_TOO_LARGE);
    assertThat(kindOf(500, "api_error")).isEqualTo(ErrorKind.UPSTREAM_ERROR);
    assertThat(kindOf(503, "some_new_error")).isEqualTo(ErrorKind.UNAVAILABLE);
  }

  @Test
  void a_rejected_provider_credential_is_a_bad_gateway_whose_message_names_no_key() {
    GatewayException e = CODEC.decodeError(401, bytes(
        "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key sk-ant-api03-abc\"}}"));

    assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
    assertThat(e.kind().status()).isEqualTo(502);
    assertThat(e.getMessage()).doesNotContain("sk-ant").doesNotContain("x-api-key");
    assertThat(CODEC.decodeError(403, bytes("{}")).kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
  }

  @Test
  void key_shaped_text_in_a_provider_message_is_redacted() {
    GatewayException e = CODEC.decodeError(400, bytes(
        "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad header Bearer sk-ant-api03-xyz123\"}}"));

    assertThat(e.getMessage()).isEqualTo("provider: bad header [redacted]");
  }

  @Test
  void a_long_provider_message_is_cut_to_500_characters() {
    String longMessage = "x".repeat(2000);
    GatewayException e = CODEC.decodeError(400, bytes(
        "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"" + longMessage + "\"}}"));

    assertThat(e.getMessage()).isEqualTo("provider: " + "x".repeat(500));
  }

  @Test
  void an_error_without_a_readable_body_falls_back_to_the_status() {
    GatewayException e = CODEC.decodeError(429, bytes("Too Many Requests"));

    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(e.getMessage()).startsWith("provider: ");
  }

  private static ErrorKind kindOf(int status, String type) {
    return CODEC.decodeError(status, bytes("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"m\"}}")).kind();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
