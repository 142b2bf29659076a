package io.tollgate.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.Message;
import io.tollgate.protocol.canonical.Part;
import io.tollgate.protocol.canonical.Role;
import io.tollgate.protocol.canonical.ToolChoice;
import org.junit.jupiter.api.Test;

class OpenAiClientCodecTest {

  private static ChatRequest decode(String json) throws Exception {
    return OpenAiClientCodec.INSTANCE.decodeRequest(Json.MAPPER.readTree(json));
  }

  @Test
  void consecutive_tool_messages_become_one_user_message_of_tool_results() throws Exception {
    ChatRequest request = decode("""
        {"model":"m","messages":[
          {"role":"system","content":"Be brief."},
          {"role":"user","content":"Weather?"},
          {"role":"assistant","content":"Checking.","tool_calls":[
            {"id":"c1","type":"function","function":{"name":"w","arguments":"{\\"city\\":\\"Paris\\"}"}},
            {"id":"c2","type":"function","function":{"name":"w","arguments":"{}"}}]},
          {"role":"tool","tool_call_id":"c1","content":"sunny"},
          {"role":"tool","tool_call_id":"c2","content":"rain"},
          {"role":"developer","content":"Use metric units."},
          {"role":"user","content":"Thanks"}]}""");

    assertThat(request.clientApi()).isEqualTo(ClientApi.OPENAI);
    assertThat(request.system()).isEqualTo("Be brief.\n\nUse metric units.");
    assertThat(request.messages()).containsExactly(
        new Message(Role.USER, java.util.List.of(new Part.Text("Weather?"))),
        new Message(Role.ASSISTANT, java.util.List.of(
            new Part.Text("Checking."),
            new Part.ToolCall("c1", "w", "{\"city\":\"Paris\"}"),
            new Part.ToolCall("c2", "w", "{}"))),
        new Message(Role.USER, java.util.List.of(
            new Part.ToolResult("c1", "sunny", false), new Part.ToolResult("c2", "rain", false))),
        new Message(Role.USER, java.util.List.of(new Part.Text("Thanks"))));
  }

  @Test
  void reads_images_limits_and_tool_choice() throws Exception {
    ChatRequest request = decode("""
        {"model":"m","messages":[{"role":"user","content":[
            {"type":"text","text":"What is this?"},
            {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}},
            {"type":"image_url","image_url":{"url":"https://example.com/cat.png","detail":"low"}}]}],
         "max_tokens":50,"max_completion_tokens":60,"stop":["a","b"],"top_p":1,
         "stream":true,"stream_options":{"include_usage":true},
         "tools":[{"type":"function","function":{"name":"w"}}],
         "tool_choice":{"type":"function","function":{"name":"w"}}}""");

    assertThat(request.messages().get(0).parts()).containsExactly(
        new Part.Text("What is this?"),
        new Part.Image("image/jpeg", "/9j/4AAQ", null),
        new Part.Image(null, null, "https://example.com/cat.png"));
    assertThat(request.maxTokens()).isEqualTo(60);
    assertThat(request.stop()).containsExactly("a", "b");
    assertThat(request.topP()).isEqualTo(1.0);
    assertThat(request.stream()).isTrue();
    assertThat(request.includeUsage()).isTrue();
    assertThat(request.toolChoice()).isEqualTo(new ToolChoice.Named("w"));
    assertThat(request.tools()).hasSize(1);
  }

  @Test
  void include_usage_without_streaming_asks_for_nothing() throws Exception {
    ChatRequest request = decode("""
        {"model":"m","messages":[{"role":"user","content":"hi"}],"stream_options":{"include_usage":true},
         "tool_choice":"required"}""");

    assertThat(request.stream()).isFalse();
    assertThat(request.includeUsage()).isFalse();
    assertThat(request.toolChoice()).isEqualTo(new ToolChoice.Any());
  }

  @Test
  void thinking_is_dropped_and_only_tool_calls_leave_content_null() throws Exception {
    ChatRequest request = decode("{\"model\":\"logical\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    var response = new io.tollgate.protocol.canonical.ChatResponse("msg_01", java.util.List.of(
        new Part.Thinking("let me think", "sig"), new Part.ToolCall("toolu_1", "w", "{}")),
        io.tollgate.protocol.canonical.StopReason.TOOL_USE, io.tollgate.protocol.usage.Usage.fromAnthropic(10, 5, 3, 7));

    JsonNode body = Json.MAPPER.readTree(OpenAiClientCodec.INSTANCE.encodeResponse(request, response));

    assertThat(body.get("id").asText()).startsWith("chatcmpl-");
    assertThat(body.get("model").asText()).isEqualTo("logical");
    assertThat(body.at("/choices/0/message/content").isNull()).isTrue();
    assertThat(body.at("/choices/0/message/tool_calls/0/id").asText()).isEqualTo("toolu_1");
    assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(body.toString()).doesNotContain("let me think");
    assertThat(body.at("/usage/prompt_tokens").asLong()).isEqualTo(18);
    assertThat(body.at("/usage/prompt_tokens_details/cached_tokens").asLong()).isEqualTo(5);
    assertThat(body.at("/usage/total_tokens").asLong()).isEqualTo(25);
  }
}
