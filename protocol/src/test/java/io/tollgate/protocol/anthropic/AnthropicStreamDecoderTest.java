package io.tollgate.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.canonical.StopReason;
import io.tollgate.protocol.canonical.StreamEvent;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.translate.Fixtures;
import io.tollgate.protocol.translate.codec.BackendStreamDecoder;
import io.tollgate.protocol.usage.Usage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicStreamDecoderTest {
  private final BackendStreamDecoder decoder = AnthropicBackendCodec.INSTANCE.newStreamDecoder();

  @Test
  void decodes_a_tool_use_stream_numbering_tool_calls_from_zero_after_a_text_block() {
    List<StreamEvent> events = decodeAll("anthropic_anthropic/tool_stream.sse");

    assertThat(events).containsExactly(
        new StreamEvent.Start("msg_014p7gG3wDgGV9EUtLvnow3U", Usage.fromAnthropic(472, 0, 0, 2)),
        new StreamEvent.TextDelta("Okay, let me check"),
        new StreamEvent.TextDelta(" the weather for San Francisco, CA:"),
        new StreamEvent.ToolCallStart(0, "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather"),
        new StreamEvent.ToolCallDelta(0, "{\"location\":"),
        new StreamEvent.ToolCallDelta(0, " \"San Francisco, CA\"}"),
        new StreamEvent.Finish(StopReason.TOOL_USE),
        new StreamEvent.UsageReport(Usage.fromAnthropic(0, 0, 0, 89)),
        new StreamEvent.End());
  }

  @Test
  void decodes_thinking_signature_and_repeated_cumulative_usage_as_reported() {
    List<StreamEvent> events = decodeAll("anthropic_anthropic/thinking_stream.sse");

    assertThat(events).contains(
        new StreamEvent.ThinkingDelta("The tool says 15 degrees and light rain."),
        new StreamEvent.SignatureDelta("WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL"),
        new StreamEvent.UsageReport(Usage.fromAnthropic(120, 2000, 1500, 300)));
  }

  @Test
  void pings_and_block_stops_yield_nothing() {
    assertThat(decoder.decode(new SseEvent("ping", "{\"type\": \"ping\"}"))).isEmpty();
    assertThat(decoder.decode(new SseEvent("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"))).isEmpty();
  }

  @Test
  void an_error_event_becomes_a_failure_of_its_kind() {
    List<StreamEvent> events = decoder.decode(new SseEvent("error",
        "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"}}"));

    assertThat(events).containsExactly(new StreamEvent.Failure(ErrorKind.RATE_LIMITED,
        "provider: Number of request tokens has exceeded your per-minute rate limit"));
  }

  @Test
  void malformed_json_becomes_an_upstream_failure() {
    assertThat(decoder.decode(new SseEvent("content_block_delta", "{\"type\":\"content_block_delta\",")))
        .containsExactly(new StreamEvent.Failure(ErrorKind.UPSTREAM_ERROR, "malformed event from the provider"));
  }

  private List<StreamEvent> decodeAll(String fixture) {
    List<StreamEvent> out = new ArrayList<>();
    for (SseEvent e : Fixtures.sse(fixture)) {
      out.addAll(decoder.decode(e));
    }
    return out;
  }
}
