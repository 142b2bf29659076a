package io.tollgate.protocol.translate;

import static io.tollgate.protocol.translate.Fixtures.assertJsonMatches;
import static io.tollgate.protocol.translate.Fixtures.assertStreamMatches;
import static io.tollgate.protocol.translate.Fixtures.bytes;
import static io.tollgate.protocol.translate.Fixtures.headers;
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
import org.junit.jupiter.api.Test;

class OpenAiToGeminiChatTranslatorTest {
  private static final String DIR = "openai_gemini/";
  private static final String UPSTREAM_MODEL = "gemini-2.0-flash";

  private final OpenAiToGeminiChatTranslator translator = new OpenAiToGeminiChatTranslator();

  private UpstreamRequest send(String requestFixture) {
    return translator.toUpstream(json(DIR + requestFixture), UPSTREAM_MODEL, Fixtures.endpoint(BackendSchema.GEMINI));
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
  void streams_over_sse_whether_or_not_the_client_asked_for_usage() {
    UpstreamRequest upstream = send("stream_request.json");

    assertThat(upstream.url())
        .isEqualTo("http://upstream.test/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
    assertThat(upstream.streaming()).isTrue();
    assertThat(headers(upstream)).containsEntry("accept", "text/event-stream");
    assertJsonMatches(parse(upstream.body()), json(DIR + "stream_upstream_request.json"));
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
        .map(d -> parse(d).at("/choices/0/delta/tool_calls/0/id").asText()).toList();
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
  void a_safety_stop_is_a_content_filter_finish() throws Exception {
    send("text_request.json");
    String blocked = """
        {"candidates":[{"content":{"parts":[{"text":"I can"}],"role":"model"},"finishReason":"SAFETY","index":0}],
         "usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":2,"totalTokenCount":14}}""";

    ClientResponse response = translator.fromUpstream(200, blocked.getBytes(StandardCharsets.UTF_8));

    assertThat(parse(response.body()).at("/choices/0/finish_reason").asText()).isEqualTo("content_filter");
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
}
