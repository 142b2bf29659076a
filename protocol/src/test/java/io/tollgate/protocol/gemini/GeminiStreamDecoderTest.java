package io.tollgate.protocol.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.canonical.StopReason;
import io.tollgate.protocol.canonical.StreamEvent;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.usage.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeminiStreamDecoderTest {

  @Test
  void a_blocked_prompt_ends_the_stream_with_a_content_filter_finish() {
    List<StreamEvent> events = GeminiBackendCodec.INSTANCE.newStreamDecoder().decode(new SseEvent(null,
        "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"usageMetadata\":{\"promptTokenCount\":9,\"totalTokenCount\":9}}"));

    assertThat(events).containsExactly(
        new StreamEvent.Start(null, null),
        new StreamEvent.UsageReport(new Usage(9, 0, 0, 0, false)),
        new StreamEvent.Finish(StopReason.CONTENT_FILTER),
        new StreamEvent.End());
  }

  @Test
  void thought_parts_stream_as_thinking_and_max_tokens_maps_through() {
    List<StreamEvent> events = GeminiBackendCodec.INSTANCE.newStreamDecoder().decode(new SseEvent(null,
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"pondering\",\"thought\":true},{\"text\":\"Answer\"}]},"
            + "\"finishReason\":\"MAX_TOKENS\"}],\"responseId\":\"r1\"}"));

    assertThat(events).containsExactly(
        new StreamEvent.Start("r1", null),
        new StreamEvent.ThinkingDelta("pondering"),
        new StreamEvent.TextDelta("Answer"),
        new StreamEvent.Finish(StopReason.MAX_TOKENS),
        new StreamEvent.End());
  }

  @Test
  void unreadable_data_is_a_failure() {
    List<StreamEvent> events = GeminiBackendCodec.INSTANCE.newStreamDecoder().decode(new SseEvent(null, "{\"candidates\": ["));

    assertThat(events).containsExactly(new StreamEvent.Failure(ErrorKind.UPSTREAM_ERROR, "malformed chunk from the provider"));
  }
}
