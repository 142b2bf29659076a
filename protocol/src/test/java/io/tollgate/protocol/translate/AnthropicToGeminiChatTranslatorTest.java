package io.tollgate.protocol.translate;

import static io.tollgate.protocol.translate.Fixtures.assertJsonMatches;
import static io.tollgate.protocol.translate.Fixtures.assertStreamMatches;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.usage.Usage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicToGeminiChatTranslatorTest {
  private static final String DIR = "anthropic_gemini/";
  private static final String UPSTREAM_MODEL = "gemini-2.5-flash";

  private final AnthropicToGeminiChatTranslator translator = new AnthropicToGeminiChatTranslator();

  private UpstreamRequest upstream(String requestFixture) {
    return translator.toUpstream(Fixtures.json(DIR + requestFixture), UPSTREAM_MODEL, Fixtures.endpoint(BackendSchema.GEMINI));
  }

  @Test
  void sends_system_tools_tool_calls_and_tool_results_as_gemini_contents() {
    UpstreamRequest request = upstream("tool_request.json");

    assertJsonMatches(request.body(), DIR + "tool_upstream.json");
    assertThat(request.url()).isEqualTo(Fixtures.BASE_URL + "/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(request.headers()).contains(Map.entry("x-goog-api-key", Fixtures.API_KEY));
  }

  @Test
  void answers_text_and_a_function_call_as_text_and_tool_use_blocks() {
    upstream("tool_request.json");

    ClientResponse response = translator.fromUpstream(200, Fixtures.bytes(DIR + "tool_response.json"));

    assertJsonMatches(response.body(), DIR + "tool_client_response.json");
    JsonNode toolUse = Fixtures.parse(response.body()).at("/content/1");
    assertThat(toolUse.path("id").asText()).isNotBlank();
    assertThat(response.usage()).isEqualTo(new Usage(96, 0, 0, 24, false));
  }

  @Test
  void streams_text_as_anthropic_events() {
    UpstreamRequest request = upstream("text_stream_request.json");
    assertThat(request.url()).endsWith(":streamGenerateContent?alt=sse");

    String out = Fixtures.replay(translator, DIR + "text_stream.sse");

    assertStreamMatches(out, DIR + "text_stream_client.sse");
    assertThat(Fixtures.messageStartInputTokens(out)).isPositive();
    assertThat(translator.usage()).isEqualTo(new Usage(9, 0, 0, 19, false));
  }

  @Test
  void streams_a_whole_function_call_as_one_tool_use_block() {
    upstream("tool_stream_request.json");

    String out = Fixtures.replay(translator, DIR + "tool_stream.sse");

    assertStreamMatches(out, DIR + "tool_stream_client.sse");
    List<SseEvent> events = Fixtures.parseClientStream(out);
    assertThat(Fixtures.parse(events.get(1).data()).at("/content_block/id").asText()).isNotBlank();
    assertThat(translator.usage()).isEqualTo(new Usage(58, 0, 0, 7, false));
  }
}
