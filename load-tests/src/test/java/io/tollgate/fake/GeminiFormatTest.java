package io.tollgate.fake;

import static io.tollgate.fake.FakeHttp.dataJson;
import static io.tollgate.fake.FakeHttp.geminiAuth;
import static io.tollgate.fake.FakeHttp.geminiChat;
import static io.tollgate.fake.FakeHttp.json;
import static io.tollgate.fake.FakeHttp.post;
import static io.tollgate.fake.FakeHttp.sse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GeminiFormatTest {
  @RegisterExtension
  static final FakeProviderExtension fake = new FakeProviderExtension();

  private static String url(String action) {
    return fake.url(FakeHttp.gemini("gemini-2.0-flash", action));
  }

  @Test
  void answers_generate_content_with_usage_metadata() {
    HttpResponse<String> r = post(url("generateContent"), geminiChat("hello world"), geminiAuth());

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json(r.body());
    JsonNode candidate = body.path("candidates").get(0);
    assertThat(candidate.path("content").path("role").asText()).isEqualTo("model");
    assertThat(candidate.path("content").path("parts").get(0).path("text").asText()).isEqualTo("Fake reply 1 2 3 4 5 6");
    assertThat(candidate.path("finishReason").asText()).isEqualTo("STOP");
    assertThat(body.path("usageMetadata").path("promptTokenCount").asInt()).isEqualTo(10);
    assertThat(body.path("usageMetadata").path("candidatesTokenCount").asInt()).isEqualTo(8);
    assertThat(body.path("usageMetadata").path("totalTokenCount").asInt()).isEqualTo(18);
    assertThat(body.path("modelVersion").asText()).isEqualTo("gemini-2.0-flash");
  }

  @Test
  void streams_sse_chunks_with_usage_and_stop_on_the_last() {
    HttpResponse<String> r = post(url("streamGenerateContent") + "?alt=sse",
        geminiChat("hello [[fake:chunks=3,cached=2]]"), geminiAuth());

    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    List<JsonNode> chunks = dataJson(sse(r.body()));
    assertThat(chunks).hasSize(3);
    assertThat(chunks).allSatisfy(c -> assertThat(c.path("usageMetadata").path("promptTokenCount").asInt()).isEqualTo(10));
    assertThat(chunks.subList(0, 2)).allSatisfy(c -> assertThat(c.path("candidates").get(0).has("finishReason")).isFalse());
    JsonNode last = chunks.get(2);
    assertThat(last.path("candidates").get(0).path("finishReason").asText()).isEqualTo("STOP");
    assertThat(last.path("usageMetadata").path("candidatesTokenCount").asInt()).isEqualTo(3);
    // cached tokens are included in promptTokenCount
    assertThat(last.path("usageMetadata").path("cachedContentTokenCount").asInt()).isEqualTo(2);
    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> text.append(c.path("candidates").get(0).path("content").path("parts").get(0).path("text").asText()));
    assertThat(text.toString()).isEqualTo("Fake reply 1");
  }

  @Test
  void accepts_the_key_as_query_parameter_and_rejects_a_wrong_one() {
    HttpResponse<String> byQuery = post(url("generateContent") + "?key=" + FakeHttp.KEY, geminiChat("hi"));
    HttpResponse<String> wrong = post(url("generateContent"), geminiChat("hi"), "x-goog-api-key", "nope");

    assertThat(byQuery.statusCode()).isEqualTo(200);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(json(wrong.body()).path("error").path("status").asText()).isEqualTo("UNAUTHENTICATED");
    assertThat(json(wrong.body()).path("error").path("code").asInt()).isEqualTo(401);
  }

  @Test
  void answers_mode_any_with_one_function_call_part() {
    String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"go\"}]}],"
        + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"find\",\"parameters\":{\"type\":\"object\","
        + "\"properties\":{\"query\":{\"type\":\"string\"}}}}]}],"
        + "\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"ANY\"}}}";
    List<JsonNode> chunks = dataJson(sse(post(url("streamGenerateContent") + "?alt=sse", body, geminiAuth()).body()));

    assertThat(chunks).hasSize(1);
    JsonNode candidate = chunks.get(0).path("candidates").get(0);
    JsonNode call = candidate.path("content").path("parts").get(0).path("functionCall");
    assertThat(call.path("name").asText()).isEqualTo("find");
    assertThat(call.path("args").path("query").asText()).isEqualTo("fake");
    assertThat(candidate.path("finishReason").asText()).isEqualTo("STOP");
  }

  @Test
  void embeds_a_batch_with_requested_dimensions() {
    String body = "{\"requests\":[{\"model\":\"models/text-embedding-004\",\"content\":{\"parts\":[{\"text\":\"a\"}]},"
        + "\"outputDimensionality\":5},{\"model\":\"models/text-embedding-004\",\"content\":{\"parts\":[{\"text\":\"b\"}]},"
        + "\"outputDimensionality\":5}]}";
    JsonNode r = json(post(fake.url(FakeHttp.gemini("text-embedding-004", "batchEmbedContents")), body, geminiAuth()).body());

    assertThat(r.path("embeddings")).hasSize(2);
    assertThat(r.path("embeddings").get(0).path("values")).hasSize(5);
    assertThat(r.path("embeddings").get(0).path("values")).isNotEqualTo(r.path("embeddings").get(1).path("values"));
  }
}
