package io.tollgate.protocol.translate;

import static io.tollgate.protocol.translate.Fixtures.assertJsonMatches;
import static io.tollgate.protocol.translate.Fixtures.assertStreamMatches;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.usage.TokenCounter;
import io.tollgate.protocol.usage.Usage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicToOpenAiChatTranslatorTest {
  private static final String DIR = "anthropic_openai/";
  private static final String UPSTREAM_MODEL = "gpt-4o-2024-08-06";

  private final AnthropicToOpenAiChatTranslator translator = new AnthropicToOpenAiChatTranslator();

  private UpstreamRequest upstream(String requestFixture) {
    return translator.toUpstream(Fixtures.json(DIR + requestFixture), UPSTREAM_MODEL, Fixtures.endpoint(BackendSchema.OPENAI));
  }

  @Test
  void moves_the_system_prompt_tools_tool_uses_and_tool_results_into_the_openai_shape() {
    UpstreamRequest request = upstream("tool_history_request.json");

    assertJsonMatches(request.body(), DIR + "tool_history_upstream.json");
    assertThat(request.url()).isEqualTo(Fixtures.BASE_URL + "/chat/completions");
    assertThat(request.headers()).contains(Map.entry("authorization", "Bearer " + Fixtures.API_KEY));
  }

  @Test
  void streams_text_as_anthropic_events_with_a_counted_prompt_in_message_start() {
    UpstreamRequest request = upstream("text_stream_request.json");
    assertJsonMatches(request.body(), DIR + "text_stream_upstream.json");

    String out = Fixtures.replay(translator, DIR + "text_stream.sse");

    assertStreamMatches(out, DIR + "text_stream_client.sse");
    assertThat(Fixtures.messageStartInputTokens(out))
        .isEqualTo(TokenCounter.countPrompt(translator.request()))
        .isPositive();
    assertThat(translator.usage()).isEqualTo(new Usage(25, 1024, 0, 9, false));
  }

  @Test
  void streams_tool_call_fragments_in_order_as_input_json_deltas() {
    upstream("tool_stream_request.json");

    String out = Fixtures.replay(translator, DIR + "tool_stream.sse");

    assertStreamMatches(out, DIR + "tool_stream_client.sse");
    assertThat(Fixtures.messageStartInputTokens(out)).isPositive();
    assertThat(translator.usage()).isEqualTo(new Usage(82, 0, 0, 17, false));
  }

  @Test
  void a_stream_cut_before_done_ends_with_an_error_event_and_counted_usage() {
    upstream("text_stream_request.json");

    String out = Fixtures.replay(translator, DIR + "cut_stream.sse");

    assertStreamMatches(out, DIR + "cut_stream_client.sse");
    assertThat(out).doesNotContain("message_stop");
    Usage usage = translator.usage();
    assertThat(usage.estimated()).isTrue();
    assertThat(usage.inputTokens()).isPositive();
    assertThat(usage.outputTokens()).isPositive();
  }
}
