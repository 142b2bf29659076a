package io.tollgate.protocol.translate;

import static io.tollgate.protocol.translate.Fixtures.assertJsonMatches;
import static io.tollgate.protocol.translate.Fixtures.assertStreamMatches;
import static io.tollgate.protocol.translate.Fixtures.json;
import static io.tollgate.protocol.translate.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.usage.Usage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OpenAiToGeminiChatTranslatorTest {
  private static final String DIR = "openai_gemini/";
  private static final String UPSTREAM_MODEL = "gemini-2.0-flash";

  private final OpenAiToGeminiChatTranslator translator = new OpenAiToGeminiChatTranslator();

  private UpstreamRequest send(String requestFixture) {
    return translator.toUpstream(json(DIR + requestFixture), UPSTREAM_MODEL, Fixtures.endpoint(BackendSchema.GEMINI));
  }

  private static Map<String, String> headers(UpstreamRequest request) {
    return request.headers().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  @Test
  void builds_a_generate_content_call_with_system_instruction_images_and_generation_config() {
    UpstreamRequest upstream = send("text_request.json");

    assertThat(upstream.url()).isEqualTo("http://upstream.test/v1beta/models/gemini-2.0-flash:generateContent");
    assertThat(upstream.streaming()).isFalse();
    assertThat(headers(upstream))
        .containsEntry("x-goog-api-key", "sk-test-secret")
        .containsEntry("content-type", "application/json")
        .doesNotContainKeys("authorization", "accept");
    assertJsonMatches(parse(upstream.body()), json(DIR + "text_upstream_request.json"));
    assertThat(upstream.toString()).doesNotContain("sk-test-secret");
  }

  @Test
  void answers_with_a_chat_completion_naming_the_logical_model() {
    send("text_request.json");

    ClientResponse response = translator.fromUpstream(200, bytes(DIR + "text_response.json"));

    assertThat(response.status()).isEqualTo(200);
    JsonNode body = parse(response.body());
    assertJsonMatches(body, json(DIR + "text_client_response.json"));
    assertThat(body.get("id").asText()).startsWith("chatcmpl-");
    assertThat(response.usage()).isEqualTo(new Usage(268, 0, 0, 15, false));
  }

  @Test
  void streams_over_sse_whether_or_not_the_client_asked_for_usage() {
    UpstreamRequest upstream = send("stream_request.json");

    assertThat(upstream.url())
        .isEqualTo("http://upstream.test/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
    assertThat(upstream.streaming()).isTrue();
    assertThat(headers(upstream)).containsEntry("accept", "text/event-stream");
    assertJsonMatches(parse(upstream.body()), json(DIR + "stream_upstream_request.json"));
  }

  @Test
  void streams_text_without_usage_when_the_client_did_not_ask_for_it() {
    send("stream_request.json");

    String out = Fixtures.replay(translator, DIR + "text.sse");

    assertStreamMatches(out, DIR + "text_client.sse");
    assertThat(out).doesNotContain("\"usage\"").endsWith("data: [DONE]\n\n");
    assertThat(translator.streamError()).isNull();
    assertThat(translator.usage()).isEqualTo(new Usage(8, 0, 0, 20, false));
  }

  @Test
  void streams_a_usage_chunk_before_done_when_asked() {
    OpenAiToGeminiChatTranslator asking = new OpenAiToGeminiChatTranslator();
    asking.toUpstream(json(DIR + "stream_usage_request.json"), UPSTREAM_MODEL, Fixtures.endpoint(BackendSchema.GEMINI));

    String out = Fixtures.replay(asking, DIR + "text.sse");

    assertStreamMatches(out, DIR + "text_usage_client.sse");
  }

  @Test
  void every_chunk_carries_one_minted_id_and_created() {
    send("stream_request.json");

    List<JsonNode> chunks = Fixtures.parseClientStream(Fixtures.replay(translator, DIR + "text.sse")).stream()
        .map(SseEvent::data).filter(d -> d.startsWith("{")).map(d -> parse(d.getBytes(StandardCharsets.UTF_8)))
        .toList();

    assertThat(chunks).extracting(c -> c.get("id").asText()).containsOnly(chunks.get(0).get("id").asText());
    assertThat(chunks).extracting(c -> c.get("created").asLong()).containsOnly(chunks.get(0).get("created").asLong());
    assertThat(chunks.get(0).get("id").asText()).startsWith("chatcmpl-");
  }

  @Test
  void sends_tool_history_as_function_calls_and_named_function_responses_with_a_cleaned_schema() {
    UpstreamRequest upstream = send("tools_request.json");

    assertJsonMatches(parse(upstream.body()), json(DIR + "tools_upstream_request.json"));
  }

  @Test
  void answers_a_function_call_as_tool_calls_with_minted_ids() {
    send("tools_request.json");

    ClientResponse response = translator.fromUpstream(200, bytes(DIR + "tools_response.json"));

    JsonNode body = parse(response.body());
    assertJsonMatches(body, json(DIR + "tools_client_response.json"));
    assertThat(body.at("/choices/0/message/tool_calls/0/id").asText()).matches("call_[A-Za-z0-9]{24}");
  }

  @Test
  void streams_whole_function_calls_as_a_start_and_one_arguments_fragment() {
    send("stream_request.json");

    String out = Fixtures.replay(translator, DIR + "tool_calls.sse");

    assertStreamMatches(out, DIR + "tool_calls_client.sse");
    List<String> ids = Fixtures.parseClientStream(out).stream().map(SseEvent::data).filter(d -> d.contains("\"id\":\"call_"))
        .map(d -> parse(d.getBytes(StandardCharsets.UTF_8)).at("/choices/0/delta/tool_calls/0/id").asText()).toList();
    assertThat(ids).hasSize(2).doesNotHaveDuplicates();
    assertThat(translator.usage()).isEqualTo(new Usage(70, 0, 0, 22, false));
  }

  @Test
  void a_forced_named_tool_is_required_upstream_and_finishes_with_stop() {
    UpstreamRequest upstream = send("forced_tool_request.json");

    assertJsonMatches(parse(upstream.body()), json(DIR + "forced_tool_upstream_request.json"));
    String out = Fixtures.replay(translator, DIR + "tool_calls.sse");
    assertThat(out).contains("\"finish_reason\":\"stop\"").doesNotContain("\"finish_reason\":\"tool_calls\"");
  }

  @Test
  void prompt_tokens_include_cached_tokens_and_thoughts_count_as_output() {
    send("text_request.json");

    ClientResponse response = translator.fromUpstream(200, bytes(DIR + "cached_response.json"));

    assertThat(response.usage()).isEqualTo(new Usage(86, 1920, 0, 300, false));
    JsonNode usage = parse(response.body()).get("usage");
    assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(2006);
    assertThat(usage.get("completion_tokens").asLong()).isEqualTo(300);
    assertThat(usage.get("prompt_tokens_details").get("cached_tokens").asLong()).isEqualTo(1920);
  }

  @Test
  void a_safety_stop_is_a_content_filter_finish() throws Exception {
    send("text_request.json");
    String blocked = """
        {"candidates":[{"content":{"parts":[{"text":"I can"}],"role":"model"},"finishReason":"SAFETY","index":0}],
         "usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":2,"totalTokenCount":14}}""";

    ClientResponse response = translator.fromUpstream(200, blocked.getBytes(StandardCharsets.UTF_8));

    assertThat(parse(response.body()).at("/choices/0/finish_reason").asText()).isEqualTo("content_filter");
  }

  @Test
  void a_stream_cut_before_the_finish_chunk_ends_with_an_error_and_estimated_usage() {
    send("stream_request.json");

    String out = Fixtures.replay(translator, DIR + "cut.sse");

    assertStreamMatches(out, DIR + "cut_client.sse");
    assertThat(out).doesNotContain("[DONE]");
    assertThat(translator.streamError()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
    assertThat(translator.usage().estimated()).isTrue();
    assertThat(translator.usage().inputTokens()).isEqualTo(8);
    assertThat(translator.usage().outputTokens()).isPositive();
  }

  @Test
  void an_in_band_provider_error_reaches_the_client_as_an_error_frame() {
    send("stream_request.json");

    String out = Fixtures.replay(translator, DIR + "error_inband.sse");

    assertStreamMatches(out, DIR + "error_inband_client.sse");
    assertThat(out).doesNotContain("[DONE]");
    assertThat(translator.streamError()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
  }

  @Test
  void an_invalid_provider_key_becomes_a_502_that_names_no_key() {
    send("text_request.json");

    ClientResponse response = translator.fromUpstream(400, bytes(DIR + "error_400_api_key.json"));

    assertThat(response.status()).isEqualTo(502);
    assertThat(response.errorMessage()).doesNotContainIgnoringCase("api key not valid").doesNotContain("sk-test-secret");
    assertThat(parse(response.body()).at("/error/type").asText()).isEqualTo("upstream_error");
  }

  @Test
  void provider_errors_keep_their_status_and_message() {
    send("text_request.json");

    ClientResponse invalid = translator.fromUpstream(400, bytes(DIR + "error_400.json"));
    ClientResponse limited = translator.fromUpstream(429, bytes(DIR + "error_429.json"));
    ClientResponse forbidden = translator.fromUpstream(403, bytes(DIR + "error_429.json"));

    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.errorMessage()).startsWith("provider: * GenerateContentRequest.contents[1]");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(parse(limited.body()).at("/error/type").asText()).isEqualTo("rate_limit_error");
    assertThat(forbidden.status()).isEqualTo(502);
  }

  @Test
  void a_tool_result_without_its_call_is_rejected() throws Exception {
    JsonNode body = Json.MAPPER.readTree("""
        {"model":"chat-default","messages":[{"role":"user","content":"hi"},{"role":"tool","tool_call_id":"call_x","content":"42"}]}""");

    assertThatThrownBy(() -> translator.toUpstream(body, UPSTREAM_MODEL, Fixtures.endpoint(BackendSchema.GEMINI)))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
          assertThat(e.getMessage()).contains("call_x");
        });
  }

  private static byte[] bytes(String path) {
    return Fixtures.text(path).getBytes(StandardCharsets.UTF_8);
  }
}
