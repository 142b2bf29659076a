package io.tollgate.fake;

import static io.tollgate.fake.FakeHttp.ANTHROPIC_MESSAGES;
import static io.tollgate.fake.FakeHttp.OPENAI_CHAT;
import static io.tollgate.fake.FakeHttp.anthropicAuth;
import static io.tollgate.fake.FakeHttp.dataJson;
import static io.tollgate.fake.FakeHttp.gemini;
import static io.tollgate.fake.FakeHttp.geminiAuth;
import static io.tollgate.fake.FakeHttp.json;
import static io.tollgate.fake.FakeHttp.openAiAuth;
import static io.tollgate.fake.FakeHttp.post;
import static io.tollgate.fake.FakeHttp.sse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.sse.SseEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fake honours each provider's output cap the way the provider does (the answer stops at that
 * many words with its length finish reason), unless {@code [[fake:ignore_max_tokens]]} makes it the
 * provider that does not; OpenAI's {@code n} answers that many completions.
 */
class OutputCapTest {
  @RegisterExtension
  static final FakeProviderExtension fake = new FakeProviderExtension();

  @Test
  void openai_stops_at_max_tokens_with_finish_reason_length() {
    JsonNode body = json(post(fake.url(OPENAI_CHAT), openAi("\"max_tokens\":3", false, "hi"), openAiAuth()).body());

    JsonNode choice = body.path("choices").get(0);
    assertThat(choice.path("message").path("content").asText()).isEqualTo("Fake reply 1");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("length");
    assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void openai_max_completion_tokens_is_a_cap_too_and_a_cap_above_the_answer_changes_nothing() {
    JsonNode capped = json(post(fake.url(OPENAI_CHAT), openAi("\"max_completion_tokens\":2", false, "hi"), openAiAuth()).body());
    JsonNode roomy = json(post(fake.url(OPENAI_CHAT), openAi("\"max_tokens\":100", false, "hi"), openAiAuth()).body());

    assertThat(capped.at("/choices/0/message/content").asText()).isEqualTo("Fake reply");
    assertThat(roomy.at("/choices/0/message/content").asText()).isEqualTo("Fake reply 1 2 3 4 5 6");
    assertThat(roomy.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void the_ignore_max_tokens_directive_makes_a_provider_that_overruns_the_cap() {
    List<SseEvent> events = sse(post(fake.url(OPENAI_CHAT),
        openAi("\"max_tokens\":2,\"stream_options\":{\"include_usage\":true}", true,
            "hi [[fake:ignore_max_tokens,chunks=20]]"), openAiAuth()).body());

    List<JsonNode> chunks = dataJson(events);
    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> text.append(c.at("/choices/0/delta/content").asText("")));
    assertThat(text.toString().split(" ")).hasSize(20);
    assertThat(chunks.get(chunks.size() - 1).at("/usage/completion_tokens").asInt()).isEqualTo(20);
  }

  @Test
  void anthropic_stops_at_max_tokens_with_stop_reason_max_tokens() {
    String request = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":2,\"stream\":%s,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    JsonNode whole = json(post(fake.url(ANTHROPIC_MESSAGES), request.formatted(false), anthropicAuth()).body());
    List<SseEvent> stream = sse(post(fake.url(ANTHROPIC_MESSAGES), request.formatted(true), anthropicAuth()).body());

    assertThat(whole.at("/content/0/text").asText()).isEqualTo("Fake reply");
    assertThat(whole.path("stop_reason").asText()).isEqualTo("max_tokens");
    assertThat(whole.at("/usage/output_tokens").asInt()).isEqualTo(2);
    JsonNode delta = stream.stream().filter(e -> "message_delta".equals(e.event())).map(e -> json(e.data()))
        .findFirst().orElseThrow();
    assertThat(delta.at("/delta/stop_reason").asText()).isEqualTo("max_tokens");
    assertThat(delta.at("/usage/output_tokens").asInt()).isEqualTo(2);
  }

  @Test
  void gemini_stops_at_max_output_tokens_with_finish_reason_max_tokens() {
    String request = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],"
        + "\"generationConfig\":{\"maxOutputTokens\":3}}";
    JsonNode whole = json(post(fake.url(gemini("m", "generateContent")), request, geminiAuth()).body());

    assertThat(whole.at("/candidates/0/content/parts/0/text").asText()).isEqualTo("Fake reply 1");
    assertThat(whole.at("/candidates/0/finishReason").asText()).isEqualTo("MAX_TOKENS");
    assertThat(whole.at("/usageMetadata/candidatesTokenCount").asInt()).isEqualTo(3);
  }

  @Test
  void openai_n_answers_that_many_completions_and_bills_them_all() {
    JsonNode whole = json(post(fake.url(OPENAI_CHAT), openAi("\"n\":2,\"max_tokens\":3", false, "hi"), openAiAuth()).body());
    List<JsonNode> chunks = dataJson(sse(post(fake.url(OPENAI_CHAT),
        openAi("\"n\":2,\"max_tokens\":3,\"stream_options\":{\"include_usage\":true}", true, "hi"), openAiAuth()).body()));

    assertThat(whole.path("choices")).hasSize(2);
    assertThat(whole.at("/choices/1/index").asInt()).isEqualTo(1);
    assertThat(whole.at("/choices/1/message/content").asText()).isEqualTo("Fake reply 1");
    assertThat(whole.at("/usage/completion_tokens").asInt()).isEqualTo(6);
    StringBuilder second = new StringBuilder();
    chunks.stream().filter(c -> c.at("/choices/0/index").asInt(-1) == 1)
        .forEach(c -> second.append(c.at("/choices/0/delta/content").asText("")));
    assertThat(second.toString()).isEqualTo("Fake reply 1");
    assertThat(chunks.get(chunks.size() - 1).at("/usage/completion_tokens").asInt()).isEqualTo(6);
  }

  private static String openAi(String extra, boolean stream, String userText) {
    return "{\"model\":\"gpt-4o-mini\",\"stream\":" + stream + "," + extra
        + ",\"messages\":[{\"role\":\"user\",\"content\":" + FakeJson.quote(userText) + "}]}";
  }
}
