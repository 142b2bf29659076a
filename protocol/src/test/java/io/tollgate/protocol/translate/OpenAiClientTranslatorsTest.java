package io.tollgate.protocol.translate;

import static io.tollgate.protocol.translate.Fixtures.assertJsonMatches;
import static io.tollgate.protocol.translate.Fixtures.assertStreamMatches;
import static io.tollgate.protocol.translate.Fixtures.json;
import static io.tollgate.protocol.translate.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.usage.Usage;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What an OpenAI client sees whichever backend answers: the same chat completion and chunk
 * stream shapes, replayed from each backend's fixtures under {@code fixtures/openai_<backend>/}.
 */
class OpenAiClientTranslatorsTest {

  /** One backend's fixtures and the usage they must bill. */
  enum Backend {
    OPENAI("openai_openai/", BackendSchema.OPENAI, "gpt-4o-mini", OpenAiToOpenAiChatTranslator::new,
        new Usage(9, 0, 0, 12, false), new Usage(19, 0, 0, 7, false), "stream_usage_request.json", 18),
    GEMINI("openai_gemini/", BackendSchema.GEMINI, "gemini-2.0-flash", OpenAiToGeminiChatTranslator::new,
        new Usage(268, 0, 0, 15, false), new Usage(8, 0, 0, 20, false), "stream_request.json", 8);

    final String dir;
    final BackendSchema schema;
    final String upstreamModel;
    final Supplier<ChatTranslator> translators;
    final Usage answerUsage;
    final Usage streamUsage;
    /** The request the cut-stream transcript was recorded for. */
    final String cutRequest;
    final long cutInputTokens;

    Backend(String dir, BackendSchema schema, String upstreamModel, Supplier<ChatTranslator> translators,
        Usage answerUsage, Usage streamUsage, String cutRequest, long cutInputTokens) {
      this.dir = dir;
      this.schema = schema;
      this.upstreamModel = upstreamModel;
      this.translators = translators;
      this.answerUsage = answerUsage;
      this.streamUsage = streamUsage;
      this.cutRequest = cutRequest;
      this.cutInputTokens = cutInputTokens;
    }

    /** A fresh translator that has taken the client request {@code fixtures/<dir>/<requestFixture>}. */
    ChatTranslator sent(String requestFixture) {
      ChatTranslator translator = translators.get();
      translator.toUpstream(json(dir + requestFixture), upstreamModel, Fixtures.endpoint(schema));
      return translator;
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void answers_with_a_chat_completion_naming_the_logical_model(Backend backend) {
    ChatTranslator translator = backend.sent("text_request.json");

    ClientResponse response = translator.fromUpstream(200, Fixtures.bytes(backend.dir + "text_response.json"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.ok()).isTrue();
    JsonNode body = parse(response.body());
    assertJsonMatches(body, json(backend.dir + "text_client_response.json"));
    assertThat(body.get("id").asText()).startsWith("chatcmpl-");
    assertThat(response.usage()).isEqualTo(backend.answerUsage);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void streams_text_without_usage_when_the_client_did_not_ask_for_it(Backend backend) {
    ChatTranslator translator = backend.sent("stream_request.json");

    String out = Fixtures.replay(translator, backend.dir + "text.sse");

    assertStreamMatches(out, backend.dir + "text_client.sse");
    assertThat(out).doesNotContain("\"usage\"").doesNotContain("event:").endsWith("data: [DONE]\n\n");
    assertThat(translator.streamError()).isNull();
    assertThat(translator.usage()).isEqualTo(backend.streamUsage);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void streams_null_usage_on_every_chunk_and_a_usage_chunk_before_done_when_asked(Backend backend) {
    ChatTranslator asking = backend.sent("stream_usage_request.json");

    String out = Fixtures.replay(asking, backend.dir + "text.sse");

    assertStreamMatches(out, backend.dir + "text_usage_client.sse");
    assertThat(out).endsWith("data: [DONE]\n\n");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void every_chunk_of_a_stream_carries_the_same_minted_id_and_created(Backend backend) {
    ChatTranslator translator = backend.sent("stream_request.json");

    List<JsonNode> chunks = Fixtures.parseClientStream(Fixtures.replay(translator, backend.dir + "text.sse")).stream()
        .map(SseEvent::data).filter(d -> d.startsWith("{")).map(Fixtures::parse).toList();

    assertThat(chunks).hasSizeGreaterThan(3);
    assertThat(chunks).extracting(c -> c.get("id").asText(), c -> c.get("created").asLong())
        .containsOnly(tuple(chunks.get(0).get("id").asText(), chunks.get(0).get("created").asLong()));
    assertThat(chunks.get(0).get("id").asText()).startsWith("chatcmpl-");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void prompt_tokens_include_cached_tokens_while_billing_splits_them_and_thoughts_count_as_output(Backend backend) {
    ChatTranslator translator = backend.sent("text_request.json");

    ClientResponse response = translator.fromUpstream(200, Fixtures.bytes(backend.dir + "cached_response.json"));

    assertThat(response.usage()).isEqualTo(new Usage(86, 1920, 0, 300, false));
    JsonNode usage = parse(response.body()).get("usage");
    assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(2006);
    assertThat(usage.get("completion_tokens").asLong()).isEqualTo(300);
    assertThat(usage.get("prompt_tokens_details").get("cached_tokens").asLong()).isEqualTo(1920);
    assertThat(usage.get("total_tokens").asLong()).isEqualTo(2306);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void a_stream_cut_before_its_end_ends_with_an_error_and_estimated_usage(Backend backend) {
    ChatTranslator translator = backend.sent(backend.cutRequest);

    String out = Fixtures.replay(translator, backend.dir + "cut.sse");

    assertStreamMatches(out, backend.dir + "cut_client.sse");
    assertThat(out).doesNotContain("[DONE]");
    assertThat(translator.streamError()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
    Usage usage = translator.usage();
    assertThat(usage.estimated()).isTrue();
    assertThat(usage.inputTokens()).isPositive().isEqualTo(backend.cutInputTokens);
    assertThat(usage.outputTokens()).isPositive();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void an_in_band_provider_error_reaches_the_client_as_an_error_frame(Backend backend) {
    ChatTranslator translator = backend.sent("stream_request.json");

    String out = Fixtures.replay(translator, backend.dir + "error_inband.sse");

    assertStreamMatches(out, backend.dir + "error_inband_client.sse");
    assertThat(out).doesNotContain("[DONE]");
    assertThat(translator.streamError()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
    assertThat(translator.usage().estimated()).isTrue();
  }
}
