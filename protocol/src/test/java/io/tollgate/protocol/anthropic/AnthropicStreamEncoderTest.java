package io.tollgate.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.Message;
import io.tollgate.protocol.canonical.Part;
import io.tollgate.protocol.canonical.Role;
import io.tollgate.protocol.canonical.StopReason;
import io.tollgate.protocol.canonical.StreamEvent;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.translate.Fixtures;
import io.tollgate.protocol.translate.codec.ClientStreamEncoder;
import io.tollgate.protocol.usage.TokenCounter;
import io.tollgate.protocol.usage.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicStreamEncoderTest {
  private static final ChatRequest REQUEST = new ChatRequest(
      ClientApi.ANTHROPIC, "claude-sonnet", "Be brief.",
      List.of(new Message(Role.USER, List.of(new Part.Text("What is the weather in Paris and in Rome?")))),
      List.of(), null, 512, null, null, List.of(), true, true, null);

  private final ClientStreamEncoder encoder = AnthropicClientCodec.INSTANCE.newStreamEncoder(REQUEST);

  @Test
  void sends_message_start_first_with_counted_input_tokens_when_the_backend_reports_none_at_the_start() {
    String out = encoder.encode(new StreamEvent.TextDelta("Hi"));

    List<SseEvent> events = Fixtures.parseClientStream(out);
    assertThat(events).extracting(SseEvent::event)
        .containsExactly("message_start", "content_block_start", "content_block_delta");
    JsonNode message = data(events.get(0)).path("message");
    assertThat(message.path("id").asText()).startsWith("msg_");
    assertThat(message.path("model").asText()).isEqualTo("claude-sonnet");
    assertThat(message.path("usage").path("input_tokens").asLong())
        .isEqualTo(TokenCounter.countPrompt(REQUEST))
        .isPositive();
  }

  @Test
  void mints_a_message_id_for_a_provider_id_of_another_shape() {
    String out = encoder.encode(new StreamEvent.Start("chatcmpl-abc123", null));

    JsonNode message = data(Fixtures.parseClientStream(out).get(0)).path("message");
    assertThat(message.path("id").asText()).startsWith("msg_").isNotEqualTo("msg_chatcmpl-abc123");
  }

  @Test
  void opens_a_new_block_with_the_next_index_whenever_the_kind_of_content_changes() {
    StringBuilder out = new StringBuilder();
    out.append(encoder.encode(new StreamEvent.Start("msg_1", Usage.fromAnthropic(10, 0, 0, 1))));
    out.append(encoder.encode(new StreamEvent.TextDelta("Let me check.")));
    out.append(encoder.encode(new StreamEvent.ToolCallStart(0, "call_a", "get_weather")));
    out.append(encoder.encode(new StreamEvent.ToolCallDelta(0, "{\"city\":\"Paris\"}")));
    out.append(encoder.encode(new StreamEvent.ToolCallStart(1, "call_b", "get_weather")));
    out.append(encoder.encode(new StreamEvent.ToolCallDelta(1, "{\"city\":\"Rome\"}")));
    out.append(encoder.encode(new StreamEvent.Finish(StopReason.TOOL_USE)));
    out.append(encoder.finish(Usage.fromAnthropic(10, 0, 0, 42)));

    List<SseEvent> events = Fixtures.parseClientStream(out.toString());
    assertThat(events).extracting(SseEvent::event).containsExactly(
        "message_start",
        "content_block_start", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop");
    assertThat(events.stream().filter(e -> e.event().startsWith("content_block_start"))
        .map(e -> data(e).path("index").asInt())).containsExactly(0, 1, 2);
    JsonNode secondTool = data(events.get(7)).path("content_block");
    assertThat(secondTool.path("type").asText()).isEqualTo("tool_use");
    assertThat(secondTool.path("id").asText()).isEqualTo("call_b");
    assertThat(secondTool.path("input").isObject()).isTrue();
    assertThat(data(events.get(8)).at("/delta/partial_json").asText()).isEqualTo("{\"city\":\"Rome\"}");
    assertThat(data(events.get(10)).at("/delta/stop_reason").asText()).isEqualTo("tool_use");
    assertThat(data(events.get(10)).at("/usage/output_tokens").asLong()).isEqualTo(42);
  }

  @Test
  void a_forced_tool_call_that_the_backend_ended_as_a_plain_stop_ends_with_tool_use() {
    StringBuilder out = new StringBuilder();
    out.append(encoder.encode(new StreamEvent.ToolCallStart(0, "call_a", "get_weather")));
    out.append(encoder.encode(new StreamEvent.ToolCallDelta(0, "{}")));
    out.append(encoder.encode(new StreamEvent.Finish(StopReason.END_TURN)));
    out.append(encoder.finish(Usage.fromOpenAi(30, 0, 7)));

    SseEvent delta = Fixtures.parseClientStream(out.toString()).stream()
        .filter(e -> "message_delta".equals(e.event())).findFirst().orElseThrow();
    assertThat(data(delta).at("/delta/stop_reason").asText()).isEqualTo("tool_use");
  }

  @Test
  void content_filter_is_reported_as_refusal() {
    encoder.encode(new StreamEvent.TextDelta("I can"));
    encoder.encode(new StreamEvent.Finish(StopReason.CONTENT_FILTER));

    SseEvent delta = Fixtures.parseClientStream(encoder.finish(Usage.fromOpenAi(30, 0, 2))).stream()
        .filter(e -> "message_delta".equals(e.event())).findFirst().orElseThrow();
    assertThat(data(delta).at("/delta/stop_reason").asText()).isEqualTo("refusal");
  }

  @Test
  void empty_text_fragments_open_no_block() {
    encoder.encode(new StreamEvent.Start("msg_1", null));

    assertThat(encoder.encode(new StreamEvent.TextDelta(""))).isEmpty();
  }

  @Test
  void an_empty_answer_still_gets_a_complete_envelope() {
    List<SseEvent> events = Fixtures.parseClientStream(encoder.finish(Usage.fromOpenAi(30, 0, 0)));

    assertThat(events).extracting(SseEvent::event).containsExactly("message_start", "message_delta", "message_stop");
    assertThat(data(events.get(0)).at("/message/usage/input_tokens").asLong()).isEqualTo(30);
  }

  @Test
  void a_failure_is_an_error_event_and_never_a_message_stop() {
    encoder.encode(new StreamEvent.TextDelta("partial"));

    String out = encoder.fail(ErrorKind.UPSTREAM_TIMEOUT, "the provider stopped answering");

    List<SseEvent> events = Fixtures.parseClientStream(out);
    assertThat(events).extracting(SseEvent::event).containsExactly("error");
    JsonNode error = data(events.get(0));
    assertThat(error.path("type").asText()).isEqualTo("error");
    assertThat(error.at("/error/type").asText()).isEqualTo("api_error");
    assertThat(error.at("/error/message").asText()).isEqualTo("the provider stopped answering");
  }

  private static JsonNode data(SseEvent e) {
    return Fixtures.parse(e.data());
  }
}
