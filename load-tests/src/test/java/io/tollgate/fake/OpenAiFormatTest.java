package io.tollgate.fake;

import static io.tollgate.fake.FakeHttp.OPENAI_CHAT;
import static io.tollgate.fake.FakeHttp.dataJson;
import static io.tollgate.fake.FakeHttp.json;
import static io.tollgate.fake.FakeHttp.openAiAuth;
import static io.tollgate.fake.FakeHttp.openAiChat;
import static io.tollgate.fake.FakeHttp.post;
import static io.tollgate.fake.FakeHttp.sse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.sse.SseEvent;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenAiFormatTest {
  @RegisterExtension
  static final FakeProviderExtension fake = new FakeProviderExtension();

  private static String chatUrl() {
    return fake.url(OPENAI_CHAT);
  }

  @Test
  void answers_a_whole_completion_with_deterministic_text_and_usage() {
    HttpResponse<String> r = post(chatUrl(), openAiChat(false, "hello world"), openAiAuth());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-request-id")).isPresent();
    JsonNode body = json(r.body());
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
    JsonNode choice = body.path("choices").get(0);
    assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(choice.path("message").path("content").asText()).isEqualTo("Fake reply 1 2 3 4 5 6");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    // system "be brief" (2 words + 3) + user "hello world" (2 words + 3)
    assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(10);
    assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(8);
    assertThat(body.path("usage").path("total_tokens").asInt()).isEqualTo(18);
    assertThat(body.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt()).isZero();
  }

  @Test
  void streams_one_word_per_chunk_without_usage_unless_asked() {
    HttpResponse<String> r = post(chatUrl(), openAiChat(true, "hi [[fake:chunks=3]]"), openAiAuth());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    List<SseEvent> events = sse(r.body());
    assertThat(events).allSatisfy(e -> assertThat(e.event()).isNull());
    assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
    List<JsonNode> chunks = dataJson(events);
    assertThat(chunks).hasSize(5); // role, 3 words, finish
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(c.path("id").asText()).isEqualTo(chunks.get(0).path("id").asText());
      assertThat(c.path("created").asLong()).isEqualTo(chunks.get(0).path("created").asLong());
      assertThat(c.has("usage")).isFalse();
    });
    assertThat(chunks.get(0).path("choices").get(0).path("delta").path("role").asText()).isEqualTo("assistant");
    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> text.append(c.path("choices").get(0).path("delta").path("content").asText("")));
    assertThat(text.toString()).isEqualTo("Fake reply 1");
    assertThat(chunks.get(4).path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void streams_a_usage_chunk_before_done_when_include_usage_is_set() {
    String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"one two three [[fake:chunks=2,cached=4]]\"}]}";
    HttpResponse<String> r = post(chatUrl(), body, openAiAuth());

    List<SseEvent> events = sse(r.body());
    assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
    List<JsonNode> chunks = dataJson(events);
    JsonNode usageChunk = chunks.get(chunks.size() - 1);
    assertThat(usageChunk.path("choices")).isEmpty();
    // 4 words + 3 per message; cached tokens are part of prompt_tokens
    assertThat(usageChunk.path("usage").path("prompt_tokens").asInt()).isEqualTo(7);
    assertThat(usageChunk.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(4);
    assertThat(usageChunk.path("usage").path("completion_tokens").asInt()).isEqualTo(2);
    assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> {
      assertThat(c.has("usage")).isTrue();
      assertThat(c.get("usage").isNull()).isTrue();
    });
  }

  @Test
  void rejects_a_wrong_or_missing_key_with_openai_error_shape() {
    HttpResponse<String> wrong = post(chatUrl(), openAiChat(false, "hi"), "authorization", "Bearer nope");
    HttpResponse<String> missing = post(chatUrl(), openAiChat(false, "hi"));

    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(missing.statusCode()).isEqualTo(401);
    JsonNode error = json(wrong.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("invalid_api_key");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.has("param")).isTrue();
    assertThat(wrong.body()).doesNotContain("nope");
  }

  @Test
  void serves_azure_deployment_paths_with_api_key_header_and_api_version() {
    String path = fake.url() + "/openai/deployments/my-gpt/chat/completions";
    HttpResponse<String> ok = post(path + "?api-version=2024-10-21", openAiChat(false, "hi"), "api-key", FakeHttp.KEY);
    HttpResponse<String> noVersion = post(path, openAiChat(false, "hi"), "api-key", FakeHttp.KEY);
    HttpResponse<String> bearerOnly = post(path + "?api-version=2024-10-21", openAiChat(false, "hi"), openAiAuth());

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok.body()).path("choices").get(0).path("message").path("content").asText()).startsWith("Fake reply");
    assertThat(noVersion.statusCode()).isEqualTo(400);
    assertThat(json(noVersion.body()).path("error").path("message").asText()).contains("api-version");
    assertThat(bearerOnly.statusCode()).isEqualTo(401);
    assertThat(json(bearerOnly.body()).path("error").path("code").asText()).isEqualTo("401");
  }

  @Test
  void streams_tool_call_fragments_in_order() {
    String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"tools\":[{\"type\":\"function\",\"function\":"
        + "{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"weather? [[fake:tool]]\"}]}";
    HttpResponse<String> r = post(chatUrl(), body, openAiAuth());

    List<JsonNode> chunks = dataJson(sse(r.body()));
    List<JsonNode> calls = chunks.stream()
        .map(c -> c.path("choices").path(0).path("delta").path("tool_calls").path(0))
        .filter(JsonNode::isObject)
        .toList();
    assertThat(calls.size()).isGreaterThanOrEqualTo(3); // header + at least 2 argument fragments
    assertThat(calls.get(0).path("id").asText()).startsWith("call_");
    assertThat(calls.get(0).path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(calls.subList(1, calls.size())).allSatisfy(c -> {
      assertThat(c.path("index").asInt()).isZero();
      assertThat(c.has("id")).isFalse();
      assertThat(c.path("function").has("name")).isFalse();
    });
    StringBuilder args = new StringBuilder();
    calls.forEach(c -> args.append(c.path("function").path("arguments").asText()));
    assertThat(json(args.toString()).path("city").asText()).isEqualTo("fake");
    assertThat(chunks.get(chunks.size() - 1).path("choices").get(0).path("finish_reason").asText())
        .isEqualTo("tool_calls");
  }

  @Test
  void answers_a_named_tool_choice_with_that_tool_and_finish_reason_stop() {
    String body = "{\"model\":\"gpt-4o-mini\",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"b\"}},"
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}},"
        + "{\"type\":\"function\",\"function\":{\"name\":\"b\",\"parameters\":{\"type\":\"object\",\"properties\":{\"q\":{}}}}}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
    JsonNode choice = json(post(chatUrl(), body, openAiAuth()).body()).path("choices").get(0);

    JsonNode call = choice.path("message").path("tool_calls").get(0);
    assertThat(call.path("function").path("name").asText()).isEqualTo("b");
    assertThat(call.path("function").path("arguments").asText()).isEqualTo("{\"q\":\"fake\"}");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void answers_required_tool_choice_with_the_first_tool() {
    String body = "{\"model\":\"gpt-4o-mini\",\"tool_choice\":\"required\","
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
    JsonNode choice = json(post(chatUrl(), body, openAiAuth()).body()).path("choices").get(0);

    assertThat(choice.path("message").path("content").isNull()).isTrue();
    assertThat(choice.path("message").path("tool_calls").get(0).path("function").path("arguments").asText())
        .isEqualTo("{\"input\":\"fake\"}");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
  }

  @Test
  void lists_models_with_a_valid_key() {
    HttpResponse<String> r = FakeHttp.get(fake.url() + "/v1/models", openAiAuth());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r.body()).path("data").get(0).path("object").asText()).isEqualTo("model");
  }
}
