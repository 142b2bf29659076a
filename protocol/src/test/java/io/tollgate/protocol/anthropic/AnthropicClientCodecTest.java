package io.tollgate.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.ChatResponse;
import io.tollgate.protocol.canonical.Message;
import io.tollgate.protocol.canonical.Part;
import io.tollgate.protocol.canonical.Role;
import io.tollgate.protocol.canonical.StopReason;
import io.tollgate.protocol.canonical.ToolChoice;
import io.tollgate.protocol.translate.Fixtures;
import io.tollgate.protocol.usage.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicClientCodecTest {
  private static final AnthropicClientCodec CODEC = AnthropicClientCodec.INSTANCE;

  @Test
  void decodes_every_supported_content_block() {
    ChatRequest r = CODEC.decodeRequest(Fixtures.parse("""
        {"model": "claude-sonnet", "max_tokens": 300, "temperature": 0.5, "top_p": 0.9,
         "stop_sequences": ["###"], "system": [{"type": "text", "text": "A"}, {"type": "text", "text": "B"}],
         "tool_choice": {"type": "tool", "name": "lookup"},
         "tools": [{"name": "lookup", "description": "find", "input_schema": {"type": "object"}}],
         "messages": [
           {"role": "user", "content": [
             {"type": "text", "text": "Look at this"},
             {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
             {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.jpg"}}]},
           {"role": "assistant", "content": [
             {"type": "thinking", "thinking": "hmm", "signature": "sig"},
             {"type": "redacted_thinking", "data": "opaque"},
             {"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": {"q": "cat"}}]},
           {"role": "user", "content": [
             {"type": "tool_result", "tool_use_id": "toolu_1", "is_error": true,
              "content": [{"type": "text", "text": "line 1"},
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
                {"type": "text", "text": "line 2"}]}]}]}
        """));

    assertThat(r.clientApi()).isEqualTo(ClientApi.ANTHROPIC);
    assertThat(r.includeUsage()).isTrue();
    assertThat(r.stream()).isFalse();
    assertThat(r.system()).isEqualTo("A\nB");
    assertThat(r.maxTokens()).isEqualTo(300);
    assertThat(r.stop()).containsExactly("###");
    assertThat(r.toolChoice()).isEqualTo(new ToolChoice.Named("lookup"));
    assertThat(r.messages()).containsExactly(
        new Message(Role.USER, List.of(new Part.Text("Look at this"),
            new Part.Image("image/png", "iVBORw0KGgo=", null), new Part.Image(null, null, "https://example.com/cat.jpg"))),
        new Message(Role.ASSISTANT, List.of(new Part.Thinking("hmm", "sig"),
            new Part.ToolCall("toolu_1", "lookup", "{\"q\":\"cat\"}"))),
        new Message(Role.USER, List.of(new Part.ToolResult("toolu_1", "line 1\nline 2", true))));
  }

  @Test
  void rejects_wrong_types_naming_the_field() {
    assertThat(rejected("{\"model\":\"m\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .isEqualTo("max_tokens");
    assertThat(rejected("{\"model\":\"m\",\"max_tokens\":\"10\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .isEqualTo("max_tokens");
    assertThat(rejected("{\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .isEqualTo("model");
    assertThat(rejected("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[]}"))
        .isEqualTo("messages");
    assertThat(rejected("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}"))
        .isEqualTo("messages[0].role");
    assertThat(rejected("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":5}]}]}"))
        .isEqualTo("messages[0].content[0].text");
    assertThat(rejected("{\"model\":\"m\",\"max_tokens\":10,\"tool_choice\":{\"type\":\"required\"},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .isEqualTo("tool_choice.type");
    assertThat(rejected("{\"model\":\"m\",\"max_tokens\":10,\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .isEqualTo("stream");
  }

  @Test
  void answers_from_another_provider_get_anthropic_ids_and_object_inputs() {
    ChatRequest request = CODEC.decodeRequest(Fixtures.parse(
        "{\"model\":\"claude-sonnet\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
    ChatResponse response = new ChatResponse("chatcmpl-9", List.of(
        new Part.ToolCall("call_1", "now", ""), new Part.ToolCall(null, "lookup", "{\"q\":1}")),
        StopReason.END_TURN, Usage.fromOpenAi(100, 40, 5));

    JsonNode out = Fixtures.parse(CODEC.encodeResponse(request, response));

    assertThat(out.path("id").asText()).startsWith("msg_");
    assertThat(out.path("model").asText()).isEqualTo("claude-sonnet");
    assertThat(out.at("/content/0/input").isObject()).isTrue();
    assertThat(out.at("/content/0/input").size()).isZero();
    assertThat(out.at("/content/1/id").asText()).startsWith("toolu_");
    assertThat(out.at("/content/1/input/q").asInt()).isEqualTo(1);
    assertThat(out.path("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(out.at("/usage/input_tokens").asLong()).isEqualTo(60);
    assertThat(out.at("/usage/cache_read_input_tokens").asLong()).isEqualTo(40);
  }

  private static String rejected(String body) {
    GatewayException e = catchThrowableOfType(GatewayException.class, () -> CODEC.decodeRequest(Fixtures.parse(body)));
    assertThat(e).as("should reject %s", body).isNotNull();
    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    return e.param();
  }
}
