package io.tollgate.protocol.translate;

import static io.tollgate.protocol.translate.Fixtures.assertJsonMatches;
import static io.tollgate.protocol.translate.Fixtures.assertStreamMatches;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.anthropic.AnthropicBackendCodec;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.usage.Usage;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OpenAiToAnthropicChatTranslatorTest {
  private static final String DIR = "openai_anthropic/";
  private static final String UPSTREAM_MODEL = "claude-sonnet-4-5-20250929";

  private final OpenAiToAnthropicChatTranslator translator = new OpenAiToAnthropicChatTranslator();

  private UpstreamRequest upstream(String requestFixture) {
    return translator.toUpstream(Fixtures.json(DIR + requestFixture), UPSTREAM_MODEL, Fixtures.endpoint(BackendSchema.ANTHROPIC));
  }

  @Test
  void moves_the_system_prompt_tools_tool_calls_and_tool_results_into_the_anthropic_shape() {
    UpstreamRequest request = upstream("tool_history_request.json");

    assertJsonMatches(request.body(), DIR + "tool_history_upstream.json");
    assertThat(request.url()).isEqualTo(Fixtures.BASE_URL + "/v1/messages");
    assertThat(request.headers()).contains(Map.entry("x-api-key", Fixtures.API_KEY), Map.entry("anthropic-version", "2023-06-01"));
    assertThat(request.headers()).extracting(Map.Entry::getKey).doesNotContain("authorization");
  }

  @Test
  void sends_the_default_max_tokens_when_the_openai_client_gave_none() {
    UpstreamRequest request = upstream("tool_history_request.json");

    assertThat(Fixtures.parse(request.body())
        .path("max_tokens").asInt()).isEqualTo(AnthropicBackendCodec.DEFAULT_MAX_TOKENS);
  }

  @Test
  void streams_text_as_chunks_with_the_usage_chunk_the_client_asked_for() {
    UpstreamRequest request = upstream("text_stream_request.json");
    assertJsonMatches(request.body(), DIR + "text_stream_upstream.json");

    String out = Fixtures.replay(translator, DIR + "text_stream.sse");

    assertStreamMatches(out, DIR + "text_stream_client.sse");
    assertThat(out).doesNotContain("event:");
    assertThat(Fixtures.parseClientStream(out).stream()
        .filter(e -> e.data().startsWith("{"))
        .map(e -> Fixtures.parse(e.data()).path("id").asText())
        .collect(Collectors.toSet())).as("one id for the whole stream").hasSize(1);
    assertThat(translator.usage()).isEqualTo(new Usage(25, 1024, 0, 15, false));
  }

  @Test
  void streams_a_tool_call_with_id_and_name_only_in_its_first_fragment() {
    upstream("tool_stream_request.json");

    String out = Fixtures.replay(translator, DIR + "tool_stream.sse");

    assertStreamMatches(out, DIR + "tool_stream_client.sse");
    assertThat(translator.usage()).isEqualTo(new Usage(472, 0, 0, 89, false));
  }

  @Test
  void an_in_band_provider_error_ends_the_stream_with_an_error_chunk_and_no_done() {
    upstream("text_stream_request.json");

    String out = Fixtures.replay(translator, DIR + "overloaded_stream.sse");

    assertStreamMatches(out, DIR + "overloaded_stream_client.sse");
    List<SseEvent> events = Fixtures.parseClientStream(out);
    assertThat(events).extracting(SseEvent::data).doesNotContain("[DONE]");
    assertThat(translator.streamError()).isEqualTo(ErrorKind.OVERLOADED);
  }
}
