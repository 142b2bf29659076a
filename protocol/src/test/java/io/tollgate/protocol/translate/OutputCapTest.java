package io.tollgate.protocol.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.sse.SseEvent;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Every provider gets an explicit output cap, and a stream whose provider ignores it is ended for the
 * client at the cap, as the provider would have ended it.
 */
class OutputCapTest {

  @Test
  void the_configured_default_cap_goes_to_every_backend_when_the_client_sets_none() throws IOException {
    JsonNode body = Json.MAPPER.readTree(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(upstream(ClientApi.OPENAI, BackendSchema.OPENAI, body, 300).get("max_tokens").asInt()).isEqualTo(300);
    assertThat(upstream(ClientApi.OPENAI, BackendSchema.ANTHROPIC, body, 300).get("max_tokens").asInt()).isEqualTo(300);
    assertThat(upstream(ClientApi.OPENAI, BackendSchema.GEMINI, body, 300).at("/generationConfig/maxOutputTokens").asInt())
        .isEqualTo(300);
  }

  @Test
  void the_clients_own_cap_is_kept_in_its_own_field_unless_the_provider_names_one() throws IOException {
    JsonNode completionCap = Json.MAPPER.readTree(
        "{\"model\":\"m\",\"max_completion_tokens\":12,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    JsonNode tokensCap = Json.MAPPER.readTree(
        "{\"model\":\"m\",\"max_tokens\":12,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    JsonNode kept = upstream(ClientApi.OPENAI, BackendSchema.OPENAI, completionCap, 300);
    assertThat(kept.get("max_completion_tokens").asInt()).isEqualTo(12);
    assertThat(kept.has("max_tokens")).isFalse();
    for (JsonNode body : java.util.List.of(completionCap, tokensCap)) {
      JsonNode compatible = upstream(ClientApi.OPENAI, body, withCapField(ProviderEndpoint.MAX_TOKENS), 300);
      JsonNode official = upstream(ClientApi.OPENAI, body, withCapField(ProviderEndpoint.MAX_COMPLETION_TOKENS), 300);
      assertThat(compatible.get("max_tokens").asInt()).as("to %s", body).isEqualTo(12);
      assertThat(compatible.has("max_completion_tokens")).isFalse();
      assertThat(official.get("max_completion_tokens").asInt()).as("to %s", body).isEqualTo(12);
      assertThat(official.has("max_tokens")).as("OpenAI's reasoning models refuse max_tokens").isFalse();
    }
    assertThat(upstream(ClientApi.OPENAI, BackendSchema.GEMINI, completionCap, 300)
        .at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(12);
  }

  @Test
  void a_provider_that_reads_max_completion_tokens_gets_the_cap_there_from_every_client_api() throws IOException {
    JsonNode none = Json.MAPPER.readTree(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    JsonNode anthropic = Json.MAPPER.readTree(
        "{\"model\":\"m\",\"max_tokens\":40,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    ProviderEndpoint openAi = withCapField(ProviderEndpoint.MAX_COMPLETION_TOKENS);

    JsonNode defaulted = upstream(ClientApi.OPENAI, none, openAi, 300);
    JsonNode translated = upstream(ClientApi.ANTHROPIC, anthropic, openAi, 300);

    assertThat(defaulted.get("max_completion_tokens").asInt()).isEqualTo(300);
    assertThat(translated.get("max_completion_tokens").asInt()).isEqualTo(40);
    assertThat(defaulted.has("max_tokens") || translated.has("max_tokens")).isFalse();
  }

  @Test
  void n_is_read_and_must_be_a_positive_integer() throws IOException {
    ChatTranslator t = Translators.chat(ClientApi.OPENAI, BackendSchema.OPENAI);
    t.toUpstream(Json.MAPPER.readTree(
            "{\"model\":\"m\",\"n\":3,\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
        "gpt", Fixtures.endpoint(BackendSchema.OPENAI), 300);

    assertThat(t.request().choices()).isEqualTo(3);
    assertThat(t.request().outputCap()).isEqualTo(30);
    assertThatThrownBy(() -> Translators.chat(ClientApi.OPENAI, BackendSchema.OPENAI).toUpstream(
            Json.MAPPER.readTree("{\"model\":\"m\",\"n\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
            "gpt", Fixtures.endpoint(BackendSchema.OPENAI), 300))
        .isInstanceOf(GatewayException.class)
        .extracting(e -> ((GatewayException) e).param()).isEqualTo("n");
  }

  @Test
  void an_openai_stream_past_the_cap_ends_with_length_usage_and_done() throws IOException {
    ChatTranslator t = Translators.chat(ClientApi.OPENAI, BackendSchema.OPENAI);
    t.toUpstream(Json.MAPPER.readTree("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
        + "\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "gpt",
        Fixtures.endpoint(BackendSchema.OPENAI), 300);

    StringBuilder client = new StringBuilder();
    for (String word : new String[] {"One", " two", " three", " four", " five"}) {
      client.append(t.onStreamEvent(new SseEvent(null,
          "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + word + "\"},\"finish_reason\":null}]}")));
    }

    assertThat(t.outputCapReached()).isTrue();
    assertThat(t.endedCleanly()).isTrue();
    String out = client.toString();
    assertThat(out).contains("\"content\":\"One\"", "\"content\":\" two\"", "\"content\":\" three\"")
        .doesNotContain(" four").contains("\"finish_reason\":\"length\"").endsWith("data: [DONE]\n\n");
    assertThat(t.usage().outputTokens()).isEqualTo(3);
    assertThat(t.usage().estimated()).isTrue();
    assertThat(out).contains("\"completion_tokens\":3");
  }

  @Test
  void an_anthropic_client_gets_max_tokens_and_message_stop_at_the_cap() throws IOException {
    ChatTranslator t = Translators.chat(ClientApi.ANTHROPIC, BackendSchema.OPENAI);
    t.toUpstream(Json.MAPPER.readTree("{\"model\":\"m\",\"stream\":true,\"max_tokens\":2,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "gpt", Fixtures.endpoint(BackendSchema.OPENAI), 300);

    StringBuilder client = new StringBuilder();
    for (String word : new String[] {"One", " two", " three"}) {
      client.append(t.onStreamEvent(new SseEvent(null,
          "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + word + "\"},\"finish_reason\":null}]}")));
    }

    assertThat(client.toString()).contains("\"stop_reason\":\"max_tokens\"", "event: message_stop")
        .doesNotContain("three");
    assertThat(t.onStreamEnd()).isEmpty();
  }

  @Test
  void a_provider_that_honours_the_cap_keeps_its_own_finish_and_usage() throws IOException {
    ChatTranslator t = Translators.chat(ClientApi.OPENAI, BackendSchema.OPENAI);
    t.toUpstream(Json.MAPPER.readTree("{\"model\":\"m\",\"stream\":true,\"max_tokens\":2,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "gpt", Fixtures.endpoint(BackendSchema.OPENAI), 300);

    for (String word : new String[] {"One", " two"}) {
      t.onStreamEvent(new SseEvent(null,
          "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + word + "\"},\"finish_reason\":null}]}"));
    }
    t.onStreamEvent(new SseEvent(null, "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}"));
    t.onStreamEvent(new SseEvent(null,
        "{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}"));
    t.onStreamEvent(new SseEvent(null, "[DONE]"));

    assertThat(t.outputCapReached()).isFalse();
    assertThat(t.usage().estimated()).isFalse();
    assertThat(t.usage().inputTokens()).isEqualTo(9);
  }

  @Test
  void with_n_the_client_gets_the_first_completion_and_the_cap_counts_them_all() throws IOException {
    ChatTranslator t = Translators.chat(ClientApi.OPENAI, BackendSchema.OPENAI);
    t.toUpstream(Json.MAPPER.readTree("{\"model\":\"m\",\"stream\":true,\"n\":2,\"max_tokens\":3,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "gpt", Fixtures.endpoint(BackendSchema.OPENAI), 300);

    StringBuilder client = new StringBuilder();
    for (String word : new String[] {"One", " two", " three", " four"}) {
      for (int index = 0; index < 2; index++) {
        client.append(t.onStreamEvent(new SseEvent(null, "{\"id\":\"c1\",\"choices\":[{\"index\":" + index
            + ",\"delta\":{\"content\":\"" + (index == 0 ? word : word.toUpperCase()) + "\"},\"finish_reason\":null}]}")));
      }
    }

    assertThat(t.outputCapReached()).isTrue();
    assertThat(client.toString()).contains("\"content\":\" three\"", "\"finish_reason\":\"length\"")
        .doesNotContain("TWO", " four");
    assertThat(t.usage().outputTokens()).isEqualTo(6);
  }

  @Test
  void the_output_anthropic_reports_at_message_start_does_not_count_against_the_cap() throws IOException {
    ChatTranslator t = Translators.chat(ClientApi.ANTHROPIC, BackendSchema.ANTHROPIC);
    t.toUpstream(Json.MAPPER.readTree("{\"model\":\"m\",\"stream\":true,\"max_tokens\":1,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "claude", Fixtures.endpoint(BackendSchema.ANTHROPIC), 300);

    String out = t.onStreamEvent(new SseEvent("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
        + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude\",\"stop_reason\":null,"
        + "\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}"))
        + t.onStreamEvent(new SseEvent("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
            + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"))
        + t.onStreamEvent(new SseEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}"));

    assertThat(out).contains("Hello");
    assertThat(t.outputCapReached()).isFalse();
  }

  private static JsonNode upstream(ClientApi api, BackendSchema schema, JsonNode body, int cap) throws IOException {
    return upstream(api, body, Fixtures.endpoint(schema), cap);
  }

  private static JsonNode upstream(ClientApi api, JsonNode body, ProviderEndpoint endpoint, int cap)
      throws IOException {
    UpstreamRequest r = Translators.chat(api, endpoint.schema()).toUpstream(body, "up", endpoint, cap);
    return Json.MAPPER.readTree(r.body());
  }

  private static ProviderEndpoint withCapField(String field) {
    ProviderEndpoint e = Fixtures.endpoint(BackendSchema.OPENAI);
    return new ProviderEndpoint(e.name(), e.schema(), e.baseUrl(), e.apiKey(), null, null, e.extraHeaders(), field);
  }
}
