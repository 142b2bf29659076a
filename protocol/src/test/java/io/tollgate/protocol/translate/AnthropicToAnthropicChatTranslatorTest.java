package io.tollgate.protocol.translate;

import static io.tollgate.protocol.translate.Fixtures.assertJsonMatches;
import static io.tollgate.protocol.translate.Fixtures.assertStreamMatches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.usage.Price;
import io.tollgate.protocol.usage.Usage;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicToAnthropicChatTranslatorTest {
  private static final String DIR = "anthropic_anthropic/";
  private static final String UPSTREAM_MODEL = "claude-sonnet-4-5-20250929";
  /** Claude Sonnet list prices: $3 input, $15 output, $0.30 cache read, $3.75 cache write per 1M. */
  private static final Price SONNET = new Price(
      new BigDecimal("3"), new BigDecimal("15"), new BigDecimal("0.30"), new BigDecimal("3.75"));

  private final AnthropicToAnthropicChatTranslator translator = new AnthropicToAnthropicChatTranslator();

  private UpstreamRequest upstream(String requestFixture) {
    return translator.toUpstream(Fixtures.json(DIR + requestFixture), UPSTREAM_MODEL, Fixtures.endpoint(BackendSchema.ANTHROPIC));
  }

  @Test
  void passes_the_client_body_through_with_thinking_signatures_and_cache_control_unchanged() {
    UpstreamRequest request = upstream("thinking_tool_request.json");

    assertJsonMatches(request.body(), DIR + "thinking_tool_upstream.json");
    assertThat(request.url()).isEqualTo(Fixtures.BASE_URL + "/v1/messages");
    assertThat(request.streaming()).isFalse();
    assertThat(request.headers()).contains(
        Map.entry("x-api-key", Fixtures.API_KEY),
        Map.entry("anthropic-version", "2023-06-01"),
        Map.entry("content-type", "application/json"));
    assertThat(request.toString()).doesNotContain(Fixtures.API_KEY);
  }

  @Test
  void answers_with_the_logical_model_and_the_thinking_signature_intact() {
    upstream("thinking_tool_request.json");

    ClientResponse response = translator.fromUpstream(200, Fixtures.bytes(DIR + "thinking_tool_response.json"));

    assertThat(response.ok()).isTrue();
    assertThat(response.status()).isEqualTo(200);
    assertJsonMatches(response.body(), DIR + "thinking_tool_client_response.json");
    assertThat(response.usage()).isEqualTo(new Usage(120, 2000, 1500, 300, false));
  }

  @Test
  void prices_uncached_cache_read_cache_write_and_output_tokens_each_at_their_own_rate() {
    upstream("thinking_tool_request.json");

    ClientResponse response = translator.fromUpstream(200, Fixtures.bytes(DIR + "thinking_tool_response.json"));

    // 120 × 3 + 2000 × 0.30 + 1500 × 3.75 + 300 × 15 = 360 + 600 + 5625 + 4500 micro-dollars
    assertThat(SONNET.costMicros(response.usage())).isEqualTo(11_085);
  }

  @Test
  void streams_thinking_with_its_signature_then_text_and_bills_cache_creation_once() {
    UpstreamRequest request = upstream("thinking_stream_request.json");
    assertJsonMatches(request.body(), DIR + "thinking_stream_upstream.json");
    assertThat(request.streaming()).isTrue();
    assertThat(request.headers()).contains(Map.entry("accept", "text/event-stream"));

    String out = Fixtures.replay(translator, DIR + "thinking_stream.sse");

    assertStreamMatches(out, DIR + "thinking_stream_client.sse");
    assertThat(translator.streamError()).isNull();
    // message_start and message_delta both carry cache_creation_input_tokens 1500: billed once
    assertThat(translator.usage()).isEqualTo(new Usage(120, 2000, 1500, 300, false));
    assertThat(SONNET.costMicros(translator.usage())).isEqualTo(11_085);
  }

  @Test
  void streams_a_tool_call_as_input_json_deltas_and_drops_pings() {
    upstream("tool_stream_request.json");

    String out = Fixtures.replay(translator, DIR + "tool_stream.sse");

    assertStreamMatches(out, DIR + "tool_stream_client.sse");
    assertThat(out).doesNotContain("ping");
    assertThat(translator.usage()).isEqualTo(new Usage(472, 0, 0, 89, false));
  }

  @Test
  void message_start_never_reports_zero_input_tokens() {
    upstream("tool_stream_request.json");

    String out = Fixtures.replay(translator, DIR + "tool_stream.sse");

    assertThat(Fixtures.messageStartInputTokens(out)).isPositive();
  }

  @Test
  void a_stream_cut_before_message_stop_ends_with_an_error_event_and_estimated_usage() {
    upstream("simple_stream_request.json");

    String out = Fixtures.replay(translator, DIR + "cut_stream.sse");

    assertStreamMatches(out, DIR + "cut_stream_client.sse");
    assertThat(out).doesNotContain("message_stop");
    assertThat(translator.streamError()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
    Usage usage = translator.usage();
    assertThat(usage.estimated()).isTrue();
    assertThat(usage.inputTokens()).isEqualTo(25);
    assertThat(usage.outputTokens()).isGreaterThan(1);
  }

  @Test
  void an_in_band_provider_error_reaches_the_client_as_an_error_event_without_message_stop() {
    upstream("simple_stream_request.json");

    String out = Fixtures.replay(translator, DIR + "overloaded_stream.sse");

    assertStreamMatches(out, DIR + "overloaded_stream_client.sse");
    assertThat(out).doesNotContain("message_stop");
    assertThat(translator.streamError()).isEqualTo(ErrorKind.OVERLOADED);
    assertThat(translator.streamErrorMessage()).isEqualTo("provider: Overloaded");
    assertThat(translator.usage().outputTokens()).isPositive();
  }

  @Test
  void a_request_without_max_tokens_is_rejected_naming_max_tokens() {
    ObjectNode body = (ObjectNode) Fixtures.json(DIR + "simple_stream_request.json");
    body.remove("max_tokens");

    GatewayException e = reject(body);

    assertThat(e.param()).isEqualTo("max_tokens");
    assertThat(e.getMessage()).contains("max_tokens");
  }

  @Test
  void a_request_without_messages_is_rejected_naming_messages() {
    ObjectNode body = (ObjectNode) Fixtures.json(DIR + "simple_stream_request.json");
    body.remove("messages");

    assertThat(reject(body).param()).isEqualTo("messages");
  }

  @Test
  void an_unknown_content_block_type_is_rejected_naming_its_position() {
    ObjectNode body = (ObjectNode) Fixtures.json(DIR + "thinking_tool_request.json");
    ArrayNode content = (ArrayNode) body.at("/messages/1/content");
    ((ObjectNode) content.get(0)).put("type", "thought");

    GatewayException e = reject(body);

    assertThat(e.param()).isEqualTo("messages[1].content[0].type");
    assertThat(e.getMessage()).contains("thought");
  }

  @Test
  void stream_events_after_the_end_are_ignored() {
    upstream("tool_stream_request.json");
    Fixtures.replay(translator, DIR + "tool_stream.sse");

    assertThat(translator.onStreamEvent(new SseEvent("message_stop", "{\"type\":\"message_stop\"}"))).isEmpty();
    assertThat(translator.onStreamEnd()).isEmpty();
    assertThat(translator.streamError()).isNull();
  }

  private GatewayException reject(JsonNode body) {
    GatewayException e = catchThrowableOfType(GatewayException.class,
        () -> translator.toUpstream(body, UPSTREAM_MODEL, Fixtures.endpoint(BackendSchema.ANTHROPIC)));
    assertThat(e).as("the request should be rejected").isNotNull();
    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    return e;
  }
}
