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
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.Secret;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.usage.Usage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiToOpenAiChatTranslatorTest {
  private static final String DIR = "openai_openai/";
  private static final String UPSTREAM_MODEL = "gpt-4o-mini";

  private final OpenAiToOpenAiChatTranslator translator = new OpenAiToOpenAiChatTranslator();

  private UpstreamRequest send(String requestFixture) {
    return translator.toUpstream(json(DIR + requestFixture), UPSTREAM_MODEL, Fixtures.endpoint(BackendSchema.OPENAI));
  }

  @Test
  void forwards_the_client_body_whole_with_the_upstream_model_and_bearer_auth() {
    UpstreamRequest upstream = send("text_request.json");

    assertThat(upstream.url()).isEqualTo("http://upstream.test/chat/completions");
    assertThat(upstream.streaming()).isFalse();
    assertThat(headers(upstream))
        .containsEntry("authorization", "Bearer sk-test-secret")
        .containsEntry("content-type", "application/json")
        .doesNotContainKeys("accept", "api-key");
    assertJsonMatches(parse(upstream.body()), json(DIR + "text_upstream_request.json"));
    assertThat(translator.clientStreams()).isFalse();
  }

  @Test
  void always_asks_a_streaming_provider_for_usage() {
    UpstreamRequest withoutUsage = send("stream_request.json");
    UpstreamRequest withUsage = new OpenAiToOpenAiChatTranslator()
        .toUpstream(json(DIR + "stream_usage_request.json"), UPSTREAM_MODEL, Fixtures.endpoint(BackendSchema.OPENAI));

    for (UpstreamRequest upstream : List.of(withoutUsage, withUsage)) {
      assertThat(upstream.streaming()).isTrue();
      assertThat(headers(upstream)).containsEntry("accept", "text/event-stream");
      assertJsonMatches(parse(upstream.body()), json(DIR + "stream_upstream_request.json"));
    }
    assertThat(translator.clientStreams()).isTrue();
  }

  @Test
  void streams_tool_call_fragments_in_order_with_id_and_name_only_in_the_first() {
    send("tools_request.json");

    String out = Fixtures.replay(translator, DIR + "tool_calls.sse");

    assertStreamMatches(out, DIR + "tool_calls_client.sse");
    assertThat(translator.usage()).isEqualTo(new Usage(82, 0, 0, 51, false));
  }

  @Test
  void keeps_tool_definitions_and_unmodelled_fields_for_the_provider() {
    UpstreamRequest upstream = send("tools_request.json");

    assertJsonMatches(parse(upstream.body()), json(DIR + "tools_upstream_request.json"));
  }

  @Test
  void answers_non_streamed_tool_calls_with_null_content() {
    send("tools_request.json");
    ObjectNode body = (ObjectNode) json(DIR + "tools_request.json");
    body.remove("stream");
    OpenAiToOpenAiChatTranslator plain = new OpenAiToOpenAiChatTranslator();
    plain.toUpstream(body, UPSTREAM_MODEL, Fixtures.endpoint(BackendSchema.OPENAI));

    ClientResponse response = plain.fromUpstream(200, bytes(DIR + "tools_response.json"));

    assertJsonMatches(parse(response.body()), json(DIR + "tools_client_response.json"));
  }

  @Test
  void a_forced_named_tool_finishes_with_stop_as_openai_does() {
    send("forced_tool_request.json");

    ClientResponse response = translator.fromUpstream(200, bytes(DIR + "tools_response.json"));

    JsonNode choice = parse(response.body()).get("choices").get(0);
    assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
    assertThat(choice.get("message").get("tool_calls")).hasSize(1);
  }

  @Test
  void a_failure_before_any_chunk_sends_only_the_error_frame() {
    send("stream_request.json");

    String out = translator.onStreamFailure(ErrorKind.UPSTREAM_TIMEOUT, "the provider did not answer in time");

    List<SseEvent> events = Fixtures.parseClientStream(out);
    assertThat(events).hasSize(1);
    assertThat(parse(events.get(0).data()).get("error").get("type").asText()).isEqualTo("upstream_timeout");
    assertThat(translator.onStreamEnd()).isEmpty();
  }

  @Test
  void a_malformed_chunk_fails_the_stream() {
    send("stream_request.json");

    String out = translator.onStreamEvent(new SseEvent(null, "{\"id\": \"chatcmpl-1\", \"choices\": ["));

    assertThat(out).contains("malformed chunk from the provider").doesNotContain("[DONE]");
    assertThat(translator.streamError()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
  }

  @Test
  void azure_uses_the_deployment_url_and_api_key_header_without_authorization() {
    ProviderEndpoint azure = new ProviderEndpoint("azure-eu", BackendSchema.OPENAI, "https://tollgate-eu.openai.azure.com",
        Secret.of("azure-secret-key"), "2024-10-21", null, Map.of("x-ms-client-request-id", "abc"));

    UpstreamRequest upstream = translator.toUpstream(json(DIR + "stream_request.json"), "gpt-4o-mini-prod", azure);

    assertThat(upstream.url()).isEqualTo(
        "https://tollgate-eu.openai.azure.com/openai/deployments/gpt-4o-mini-prod/chat/completions?api-version=2024-10-21");
    assertThat(headers(upstream))
        .containsEntry("api-key", "azure-secret-key")
        .containsEntry("x-ms-client-request-id", "abc")
        .doesNotContainKey("authorization");
    assertThat(upstream.toString()).doesNotContain("azure-secret-key");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      missing model              | {"messages":[{"role":"user","content":"hi"}]}                                                | model
      model not a string         | {"model":7,"messages":[{"role":"user","content":"hi"}]}                                      | model
      missing messages           | {"model":"m"}                                                                                | messages
      empty messages             | {"model":"m","messages":[]}                                                                  | messages
      unknown role               | {"model":"m","messages":[{"role":"user","content":"hi"},{"role":"robot","content":"x"}]}     | messages[1].role
      content of wrong type      | {"model":"m","messages":[{"role":"user","content":42}]}                                      | messages[0].content
      tool message without id    | {"model":"m","messages":[{"role":"tool","content":"22C"}]}                                   | messages[0].tool_call_id
      max_tokens as a string     | {"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":"100"}                 | max_tokens
      max_tokens zero            | {"model":"m","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":0}          | max_completion_tokens
      temperature as a string    | {"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":"hot"}                | temperature
      stream as a string         | {"model":"m","messages":[{"role":"user","content":"hi"}],"stream":"yes"}                     | stream
      include_usage not boolean  | {"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":1}} | stream_options.include_usage
      stop of numbers            | {"model":"m","messages":[{"role":"user","content":"hi"}],"stop":[1]}                         | stop
      unknown tool_choice        | {"model":"m","messages":[{"role":"user","content":"hi"}],"tool_choice":"sometimes"}          | tool_choice
      tool_choice without name   | {"model":"m","messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"function"}}  | tool_choice
      tool not a function        | {"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"retrieval"}]}     | tools[0].type
      """)
  void rejects_bad_input_naming_the_field(String what, String body, String param) throws Exception {
    JsonNode request = Json.MAPPER.readTree(body);

    assertThatThrownBy(() -> translator.toUpstream(request, UPSTREAM_MODEL, Fixtures.endpoint(BackendSchema.OPENAI)))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
          assertThat(e.param()).isEqualTo(param);
          assertThat(e.getMessage()).isNotBlank();
        });
  }

  @Test
  void a_provider_401_becomes_a_502_that_names_no_key() {
    send("text_request.json");

    ClientResponse response = translator.fromUpstream(401, bytes(DIR + "error_401.json"));

    assertThat(response.status()).isEqualTo(502);
    assertThat(response.error()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
    String body = new String(response.body(), StandardCharsets.UTF_8);
    assertThat(body).doesNotContain("sk-").doesNotContain("API key provided");
    assertThat(response.errorMessage()).doesNotContain("sk-");
    assertThat(parse(response.body()).get("error").get("type").asText()).isEqualTo("upstream_error");
    assertThat(response.usage()).isEqualTo(Usage.ZERO);
  }

  @Test
  void a_provider_rate_limit_keeps_its_status_and_message() {
    send("text_request.json");

    ClientResponse response = translator.fromUpstream(429, bytes(DIR + "error_429.json"));

    assertThat(response.status()).isEqualTo(429);
    JsonNode error = parse(response.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("rate_limit_error");
    assertThat(error.get("message").asText()).startsWith("provider: Rate limit reached for gpt-4o-mini");
    assertThat(error.get("code").asText()).isEqualTo("rate_limit_exceeded");
  }

  @Test
  void an_unreadable_provider_answer_is_a_502() {
    send("text_request.json");

    ClientResponse ok = translator.fromUpstream(200, "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8));
    ClientResponse failed = translator.fromUpstream(503, "<html>down</html>".getBytes(StandardCharsets.UTF_8));

    assertThat(ok.status()).isEqualTo(502);
    assertThat(ok.errorMessage()).isEqualTo("the provider answered with an unreadable body");
    assertThat(failed.status()).isEqualTo(503);
    assertThat(failed.errorMessage()).contains("503");
  }

  @Test
  void the_upstream_request_never_prints_the_key() {
    UpstreamRequest upstream = send("text_request.json");

    assertThat(upstream.toString()).doesNotContain("sk-test-secret").contains("authorization");
  }
}
