package io.tollgate.protocol.translate;

import static io.tollgate.protocol.translate.Fixtures.assertJsonMatches;
import static io.tollgate.protocol.translate.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.usage.Usage;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whole (non-streamed) exchanges pinned by the fixtures of one (client × backend) pair under
 * {@code fixtures/<client>_<backend>/}: the client request becomes the recorded upstream body,
 * the recorded provider answer becomes the recorded client answer, billed as stated.
 */
class RecordedExchangesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      anthropic client, openai backend: OpenAI's prompt_tokens 1200 include 1024 cached, Anthropic's input_tokens exclude them | anthropic_openai | gpt-4o-2024-08-06          | 176 | 1024 | 17
      openai client, anthropic backend: cached prompt tokens are reported inside prompt_tokens as OpenAI does                | openai_anthropic | claude-sonnet-4-5-20250929 | 200 | 1000 | 18
      """)
  void answers_tool_calls_after_a_tool_history_with_cached_tokens_billed_apart(
      String what, String pair, String upstreamModel, long inputTokens, long cacheReadTokens, long outputTokens) {
    ChatTranslator translator = sent(pair, upstreamModel, "tool_history_request.json");

    ClientResponse response = translator.fromUpstream(200, Fixtures.bytes(pair + "/tool_history_response.json"));

    assertJsonMatches(response.body(), pair + "/tool_history_client_response.json");
    assertThat(response.usage()).isEqualTo(new Usage(inputTokens, cacheReadTokens, 0, outputTokens, false));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      anthropic client, openai backend: a forced tool that OpenAI ends with stop is reported as tool_use           | anthropic_openai | gpt-4o-2024-08-06
      openai client, anthropic backend: a forced tool is sent as tool_choice tool and answered with finish_reason stop | openai_anthropic | claude-sonnet-4-5-20250929
      """)
  void a_forced_tool_call_is_sent_and_answered_as_recorded(String what, String pair, String upstreamModel) {
    ChatTranslator translator = Translators.chat(client(pair), backend(pair));
    UpstreamRequest request = translator.toUpstream(
        json(pair + "/forced_tool_request.json"), upstreamModel, Fixtures.endpoint(backend(pair)));
    assertJsonMatches(request.body(), pair + "/forced_tool_upstream.json");

    ClientResponse response = translator.fromUpstream(200, Fixtures.bytes(pair + "/forced_tool_response.json"));

    assertJsonMatches(response.body(), pair + "/forced_tool_client_response.json");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      a rate limited OpenAI answer becomes an Anthropic rate limit error         | anthropic_openai    | gpt-4o-2024-08-06          | forced_tool_request.json   | 429 | rate_limited | RATE_LIMITED
      an overloaded Anthropic answer becomes a 529 in the OpenAI error shape     | openai_anthropic    | claude-sonnet-4-5-20250929 | forced_tool_request.json   | 529 | overloaded   | OVERLOADED
      an overloaded Anthropic answer becomes a 529 in the Anthropic error shape  | anthropic_anthropic | claude-sonnet-4-5-20250929 | thinking_tool_request.json | 529 | overloaded   | OVERLOADED
      """)
  void a_provider_error_keeps_its_status_and_kind_in_the_client_error_shape(
      String what, String pair, String upstreamModel, String requestFixture, int status, String error, ErrorKind kind) {
    ChatTranslator translator = sent(pair, upstreamModel, requestFixture);

    ClientResponse response = translator.fromUpstream(status, Fixtures.bytes(pair + "/" + error + "_response.json"));

    assertThat(response.status()).isEqualTo(status);
    assertThat(response.error()).isEqualTo(kind);
    assertThat(response.usage()).isEqualTo(Usage.ZERO);
    assertJsonMatches(response.body(), pair + "/" + error + "_client_error.json");
  }

  /** The pair's translator after it took the client request {@code fixtures/<pair>/<requestFixture>}. */
  private static ChatTranslator sent(String pair, String upstreamModel, String requestFixture) {
    ChatTranslator translator = Translators.chat(client(pair), backend(pair));
    translator.toUpstream(json(pair + "/" + requestFixture), upstreamModel, Fixtures.endpoint(backend(pair)));
    return translator;
  }

  private static ClientApi client(String pair) {
    return ClientApi.valueOf(pair.substring(0, pair.indexOf('_')).toUpperCase(Locale.ROOT));
  }

  private static BackendSchema backend(String pair) {
    return BackendSchema.valueOf(pair.substring(pair.indexOf('_') + 1).toUpperCase(Locale.ROOT));
  }
}
