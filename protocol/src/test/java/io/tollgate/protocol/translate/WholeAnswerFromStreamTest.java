package io.tollgate.protocol.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.sse.SseEvent;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A client that asks for a whole answer can still be given one the gateway read from the provider
 * as a stream: so a provider that ignores the output cap is stopped at it, as a relayed stream is.
 */
class WholeAnswerFromStreamTest {

  @Test
  void the_provider_is_asked_for_a_stream_with_usage_while_the_client_keeps_a_whole_answer() throws IOException {
    for (BackendSchema schema : BackendSchema.values()) {
      for (ClientApi api : ClientApi.values()) {
        ChatTranslator t = Translators.chat(api, schema);
        UpstreamRequest request = t.toUpstream(body(api, 8), "up-model", Fixtures.endpoint(schema), 300, true);

        assertThat(t.clientStreams()).as("%s client to %s", api, schema).isFalse();
        assertThat(t.upstreamStreams()).as("%s client to %s", api, schema).isTrue();
        assertThat(request.streaming()).as("%s client to %s", api, schema).isTrue();
        JsonNode sent = Json.MAPPER.readTree(request.body());
        if (schema == BackendSchema.GEMINI) {
          assertThat(request.url()).contains("streamGenerateContent?alt=sse");
        } else {
          assertThat(sent.get("stream").asBoolean()).as("%s client to %s", api, schema).isTrue();
        }
        if (schema == BackendSchema.OPENAI) {
          assertThat(sent.at("/stream_options/include_usage").asBoolean()).isTrue();
        }
      }
    }
  }

  @Test
  void without_the_switch_a_whole_answer_is_asked_whole() throws IOException {
    ChatTranslator t = Translators.chat(ClientApi.OPENAI, BackendSchema.OPENAI);
    UpstreamRequest request = t.toUpstream(body(ClientApi.OPENAI, 8), "gpt", Fixtures.endpoint(BackendSchema.OPENAI), 300);

    assertThat(t.upstreamStreams()).isFalse();
    assertThat(Json.MAPPER.readTree(request.body()).has("stream")).isFalse();
  }

  @Test
  void a_provider_ignoring_the_cap_is_stopped_there_and_the_openai_client_gets_a_whole_length_answer()
      throws IOException {
    ChatTranslator t = Translators.chat(ClientApi.OPENAI, BackendSchema.OPENAI);
    t.toUpstream(body(ClientApi.OPENAI, 3), "gpt", Fixtures.endpoint(BackendSchema.OPENAI), 300, true);

    int fed = 0;
    for (String word : new String[] {"One", " two", " three", " four", " five", " six"}) {
      if (t.outputCapReached()) {
        break;
      }
      assertThat(t.onStreamEvent(openAiDelta(word))).as("no frames for a whole answer").isEmpty();
      fed++;
    }
    ClientResponse answer = t.wholeAnswer();

    assertThat(fed).as("chunks read before the stop").isEqualTo(4);
    assertThat(answer.status()).isEqualTo(200);
    JsonNode json = Json.MAPPER.readTree(answer.body());
    assertThat(json.at("/object").asText()).isEqualTo("chat.completion");
    assertThat(json.at("/choices/0/message/content").asText()).isEqualTo("One two three");
    assertThat(json.at("/choices/0/finish_reason").asText()).isEqualTo("length");
    assertThat(json.at("/usage/completion_tokens").asLong()).isEqualTo(3);
    assertThat(answer.usage().outputTokens()).isEqualTo(3);
  }

  @Test
  void a_clean_anthropic_stream_becomes_the_anthropic_clients_whole_message_with_its_thinking_and_tool_call()
      throws IOException {
    ChatTranslator t = Translators.chat(ClientApi.ANTHROPIC, BackendSchema.ANTHROPIC);
    t.toUpstream(body(ClientApi.ANTHROPIC, 200), "claude", Fixtures.endpoint(BackendSchema.ANTHROPIC), 300, true);

    String[][] events = {
        {"message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":"
            + "\"assistant\",\"content\":[],\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}"},
        {"content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\","
            + "\"thinking\":\"\"}}"},
        {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\","
            + "\"thinking\":\"Let me see.\"}}"},
        {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\","
            + "\"signature\":\"sig-1\"}}"},
        {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"},
        {"content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\","
            + "\"text\":\"\"}}"},
        {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\","
            + "\"text\":\"Checking \"}}"},
        {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\","
            + "\"text\":\"the weather.\"}}"},
        {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"},
        {"content_block_start", "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\","
            + "\"id\":\"toolu_1\",\"name\":\"weather\",\"input\":{}}}"},
        {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\","
            + "\"partial_json\":\"{\\\"city\\\":\"}}"},
        {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\","
            + "\"partial_json\":\"\\\"Paris\\\"}\"}}"},
        {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":2}"},
        {"message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":"
            + "{\"output_tokens\":21}}"},
        {"message_stop", "{\"type\":\"message_stop\"}"}};
    for (String[] e : events) {
      t.onStreamEvent(new SseEvent(e[0], e[1]));
    }
    ClientResponse answer = t.wholeAnswer();

    assertThat(t.endedCleanly()).isTrue();
    JsonNode json = Json.MAPPER.readTree(answer.body());
    assertThat(json.at("/type").asText()).isEqualTo("message");
    assertThat(json.at("/stop_reason").asText()).isEqualTo("tool_use");
    assertThat(json.at("/content/0/type").asText()).isEqualTo("thinking");
    assertThat(json.at("/content/0/thinking").asText()).isEqualTo("Let me see.");
    assertThat(json.at("/content/0/signature").asText()).isEqualTo("sig-1");
    assertThat(json.at("/content/1/text").asText()).isEqualTo("Checking the weather.");
    assertThat(json.at("/content/2/type").asText()).isEqualTo("tool_use");
    assertThat(json.at("/content/2/name").asText()).isEqualTo("weather");
    assertThat(json.at("/content/2/input/city").asText()).isEqualTo("Paris");
    assertThat(json.at("/usage/input_tokens").asLong()).isEqualTo(12);
    assertThat(json.at("/usage/output_tokens").asLong()).isEqualTo(21);
    assertThat(answer.usage().outputTokens()).isEqualTo(21);
    assertThat(answer.usage().estimated()).isFalse();
  }

  @Test
  void a_stream_cut_after_the_answer_began_is_an_error_in_the_clients_shape_billed_what_was_streamed()
      throws IOException {
    ChatTranslator t = Translators.chat(ClientApi.ANTHROPIC, BackendSchema.OPENAI);
    t.toUpstream(body(ClientApi.ANTHROPIC, 100), "gpt", Fixtures.endpoint(BackendSchema.OPENAI), 300, true);

    t.onStreamEvent(openAiDelta("Half"));
    t.onStreamEvent(openAiDelta(" an answer"));
    t.onStreamEnd();
    ClientResponse answer = t.wholeAnswer();

    assertThat(t.answerStarted()).isTrue();
    assertThat(answer.error()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
    assertThat(answer.status()).isEqualTo(ErrorKind.UPSTREAM_ERROR.status());
    assertThat(Json.MAPPER.readTree(answer.body()).at("/type").asText()).isEqualTo("error");
    assertThat(answer.usage().outputTokens()).as("what was streamed is billed").isEqualTo(3);
    assertThat(answer.usage().estimated()).isTrue();
  }

  private static SseEvent openAiDelta(String text) {
    return new SseEvent(null,
        "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"},\"finish_reason\":null}]}");
  }

  private static JsonNode body(ClientApi api, int maxTokens) throws IOException {
    return Json.MAPPER.readTree("{\"model\":\"m\",\"max_tokens\":" + maxTokens
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"}]}");
  }
}
