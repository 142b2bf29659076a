package io.tollgate.fake;

import static io.tollgate.fake.FakeHttp.ANTHROPIC_MESSAGES;
import static io.tollgate.fake.FakeHttp.anthropicAuth;
import static io.tollgate.fake.FakeHttp.anthropicChat;
import static io.tollgate.fake.FakeHttp.json;
import static io.tollgate.fake.FakeHttp.post;
import static io.tollgate.fake.FakeHttp.sse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.sse.SseEvent;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AnthropicFormatTest {
  @RegisterExtension
  static final FakeProviderExtension fake = new FakeProviderExtension();

  private static String url() {
    return fake.url(ANTHROPIC_MESSAGES);
  }

  @Test
  void answers_a_whole_message_with_usage() {
    HttpResponse<String> r = post(url(), anthropicChat(false, "hello world"), anthropicAuth());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("request-id")).isPresent();
    JsonNode body = json(r.body());
    assertThat(body.path("type").asText()).isEqualTo("message");
    assertThat(body.path("role").asText()).isEqualTo("assistant");
    assertThat(body.path("content").get(0).path("type").asText()).isEqualTo("text");
    assertThat(body.path("content").get(0).path("text").asText()).isEqualTo("Fake reply 1 2 3 4 5 6");
    assertThat(body.path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(body.path("usage").path("input_tokens").asInt()).isEqualTo(10);
    assertThat(body.path("usage").path("output_tokens").asInt()).isEqualTo(8);
  }

  @Test
  void streams_the_exact_anthropic_event_sequence() {
    HttpResponse<String> r = post(url(), anthropicChat(true, "hello world [[fake:chunks=3]]"), anthropicAuth());

    List<SseEvent> events = sse(r.body());
    assertThat(events).extracting(SseEvent::event).containsExactly(
        "message_start", "content_block_start", "ping",
        "content_block_delta", "content_block_delta", "content_block_delta",
        "content_block_stop", "message_delta", "message_stop");
    events.forEach(e -> assertThat(json(e.data()).path("type").asText()).isEqualTo(e.event()));
    JsonNode start = json(events.get(0).data()).path("message");
    assertThat(start.path("usage").path("input_tokens").asInt()).isEqualTo(11);
    StringBuilder text = new StringBuilder();
    events.subList(3, 6).forEach(e -> {
      JsonNode delta = json(e.data()).path("delta");
      assertThat(delta.path("type").asText()).isEqualTo("text_delta");
      text.append(delta.path("text").asText());
    });
    assertThat(text.toString()).isEqualTo("Fake reply 1");
    JsonNode messageDelta = json(events.get(7).data());
    assertThat(messageDelta.path("delta").path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(messageDelta.path("usage").path("output_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void reports_cache_reads_apart_from_input_tokens() {
    JsonNode usage = json(post(url(), anthropicChat(false, "a b c d e [[fake:cached=4]]"), anthropicAuth()).body())
        .path("usage");

    // prompt = system 5 + user (6 words + 3) = 14, of which 4 were read from cache
    assertThat(usage.path("cache_read_input_tokens").asInt()).isEqualTo(4);
    assertThat(usage.path("input_tokens").asInt()).isEqualTo(10);
    assertThat(usage.path("cache_creation_input_tokens").asInt()).isZero();
  }

  @Test
  void rejects_a_wrong_key_and_a_missing_version_in_anthropic_error_shape() {
    HttpResponse<String> wrong = post(url(), anthropicChat(false, "hi"), "x-api-key", "nope", "anthropic-version", "2023-06-01");
    HttpResponse<String> noVersion = post(url(), anthropicChat(false, "hi"), "x-api-key", FakeHttp.KEY);

    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(json(wrong.body()).path("type").asText()).isEqualTo("error");
    assertThat(json(wrong.body()).path("error").path("type").asText()).isEqualTo("authentication_error");
    assertThat(noVersion.statusCode()).isEqualTo(400);
    assertThat(json(noVersion.body()).path("error").path("type").asText()).isEqualTo("invalid_request_error");
  }

  @Test
  void accepts_a_bearer_key_as_recent_sdks_send_it() {
    HttpResponse<String> r = post(url(), anthropicChat(false, "hi"),
        "authorization", "Bearer " + FakeHttp.KEY, "anthropic-version", "2025-01-01");

    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void streams_a_tool_use_block_as_input_json_deltas() {
    String body = "{\"model\":\"claude\",\"max_tokens\":64,\"stream\":true,\"tool_choice\":{\"type\":\"any\"},"
        + "\"tools\":[{\"name\":\"lookup\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"term\":{\"type\":\"string\"}}}}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"find it\"}]}";
    List<SseEvent> events = sse(post(url(), body, anthropicAuth()).body());

    JsonNode block = json(events.get(1).data()).path("content_block");
    assertThat(block.path("type").asText()).isEqualTo("tool_use");
    assertThat(block.path("name").asText()).isEqualTo("lookup");
    assertThat(block.path("id").asText()).startsWith("toolu_");
    List<JsonNode> deltas = events.stream().filter(e -> e.event().equals("content_block_delta"))
        .map(e -> json(e.data()).path("delta")).toList();
    assertThat(deltas.size()).isGreaterThanOrEqualTo(2);
    StringBuilder partial = new StringBuilder();
    deltas.forEach(d -> {
      assertThat(d.path("type").asText()).isEqualTo("input_json_delta");
      partial.append(d.path("partial_json").asText());
    });
    assertThat(json(partial.toString()).path("term").asText()).isEqualTo("fake");
    JsonNode messageDelta = events.stream().filter(e -> e.event().equals("message_delta"))
        .map(e -> json(e.data())).findFirst().orElseThrow();
    assertThat(messageDelta.path("delta").path("stop_reason").asText()).isEqualTo("tool_use");
  }
}
