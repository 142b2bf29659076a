package io.tollgate.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.Message;
import io.tollgate.protocol.canonical.Part;
import io.tollgate.protocol.canonical.Role;
import io.tollgate.protocol.canonical.StopReason;
import io.tollgate.protocol.canonical.StreamEvent;
import io.tollgate.protocol.canonical.ToolChoice;
import io.tollgate.protocol.canonical.ToolDef;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.Secret;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.usage.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiBackendCodecTest {
  private static final ProviderEndpoint GROQ = new ProviderEndpoint(
      "groq", BackendSchema.OPENAI, "https://api.groq.com/openai/v1", Secret.of("gsk-secret"), null, null, Map.of());

  @Test
  void rebuilds_a_non_openai_request_with_tool_results_right_after_the_calls() throws Exception {
    ChatRequest request = new ChatRequest(ClientApi.ANTHROPIC, "logical", "Be brief.",
        List.of(
            new Message(Role.USER, List.of(new Part.Text("Look:"), new Part.Image("image/png", "iVBOR", null))),
            new Message(Role.ASSISTANT, List.of(new Part.Thinking("hmm", "sig"), new Part.ToolCall("toolu_1", "w", "{\"c\":1}"))),
            new Message(Role.USER, List.of(new Part.ToolResult("toolu_1", "sunny", false), new Part.Text("and now?")))),
        List.of(new ToolDef("w", "weather", Json.MAPPER.readTree("{\"type\":\"object\"}"))),
        new ToolChoice.Any(), 100, 0.5, null, List.of("END"), true, false,
        Json.MAPPER.readTree("{\"model\":\"logical\",\"metadata\":{}}"));

    JsonNode body = Json.MAPPER.readTree(OpenAiBackendCodec.INSTANCE.encodeRequest(request, "llama-3.3-70b", GROQ).body());

    assertThat(body).isEqualTo(Json.MAPPER.readTree("""
        {"model":"llama-3.3-70b","messages":[
          {"role":"system","content":"Be brief."},
          {"role":"user","content":[{"type":"text","text":"Look:"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBOR"}}]},
          {"role":"assistant","content":null,"tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"w","arguments":"{\\"c\\":1}"}}]},
          {"role":"tool","tool_call_id":"toolu_1","content":"sunny"},
          {"role":"user","content":"and now?"}],
         "tools":[{"type":"function","function":{"name":"w","description":"weather","parameters":{"type":"object"}}}],
         "tool_choice":"required","max_tokens":100,"temperature":0.5,"stop":["END"],
         "stream":true,"stream_options":{"include_usage":true}}"""));
  }

  @Test
  void decodes_tool_calls_sent_whole_or_without_index_by_compatible_providers() {
    List<StreamEvent> events = decodeAll(
        "{\"id\":\"x1\",\"choices\":[{\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"w\",\"arguments\":\"{\\\"a\\\":1}\"}}]}}]}",
        "{\"id\":\"x1\",\"choices\":[{\"delta\":{\"tool_calls\":[{\"id\":\"c2\",\"function\":{\"name\":\"v\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3}}",
        "[DONE]");

    assertThat(events).containsExactly(
        new StreamEvent.Start("x1", null),
        new StreamEvent.ToolCallStart(0, "c1", "w"),
        new StreamEvent.ToolCallDelta(0, "{\"a\":1}"),
        new StreamEvent.ToolCallStart(1, "c2", "v"),
        new StreamEvent.ToolCallDelta(1, "{}"),
        new StreamEvent.Finish(StopReason.TOOL_USE),
        new StreamEvent.UsageReport(new Usage(5, 0, 0, 3, false)),
        new StreamEvent.End());
  }

  @Test
  void a_provider_error_message_is_bounded_and_never_echoes_a_key() {
    String longMessage = "x".repeat(2000);
    var tooLong = OpenAiBackendCodec.INSTANCE.decodeError(400,
        ("{\"error\":{\"message\":\"" + longMessage + "\",\"param\":\"messages\"}}").getBytes());
    var echoing = OpenAiBackendCodec.INSTANCE.decodeError(404,
        "{\"error\":{\"message\":\"model gone for key sk-proj-abcdefghijklmnop\"}}".getBytes());

    assertThat(tooLong.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(tooLong.param()).isEqualTo("messages");
    assertThat(tooLong.getMessage()).hasSizeLessThan(520);
    assertThat(echoing.kind()).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(echoing.getMessage()).doesNotContain("sk-proj").contains("[redacted]");
  }

  private static List<StreamEvent> decodeAll(String... data) {
    var decoder = OpenAiBackendCodec.INSTANCE.newStreamDecoder();
    List<StreamEvent> out = new ArrayList<>();
    for (String d : data) {
      out.addAll(decoder.decode(new SseEvent(null, d)));
    }
    return out;
  }
}
