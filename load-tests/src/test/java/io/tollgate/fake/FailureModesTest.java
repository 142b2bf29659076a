package io.tollgate.fake;

import static io.tollgate.fake.FakeHttp.ANTHROPIC_MESSAGES;
import static io.tollgate.fake.FakeHttp.OPENAI_CHAT;
import static io.tollgate.fake.FakeHttp.anthropicAuth;
import static io.tollgate.fake.FakeHttp.anthropicChat;
import static io.tollgate.fake.FakeHttp.dataJson;
import static io.tollgate.fake.FakeHttp.json;
import static io.tollgate.fake.FakeHttp.openAiAuth;
import static io.tollgate.fake.FakeHttp.openAiChat;
import static io.tollgate.fake.FakeHttp.post;
import static io.tollgate.fake.FakeHttp.postForStream;
import static io.tollgate.fake.FakeHttp.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.fake.Behaviour.Failure;
import io.tollgate.protocol.sse.SseEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureModesTest {
  @RegisterExtension
  static final FakeProviderExtension fake = new FakeProviderExtension();

  private static String openAi() {
    return fake.url(OPENAI_CHAT);
  }

  private static String anthropic() {
    return fake.url(ANTHROPIC_MESSAGES);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      openai rate limits with retry-after             | OPENAI    | false | fail=429,retry-after=3 | 429 | 3 | /error/code   | rate_limit_exceeded
      anthropic rate limits a stream with retry-after | ANTHROPIC | true  | fail=429,retry-after=2 | 429 | 2 | /error/type   | rate_limit_error
      gemini rate limits                              | GEMINI    | false | fail=429               | 429 |   | /error/status | RESOURCE_EXHAUSTED
      openai fails a stream request with 500          | OPENAI    | true  | fail=500               | 500 |   | /error/type   | server_error
      anthropic fails with 500                        | ANTHROPIC | false | fail=500               | 500 |   | /error/type   | api_error
      anthropic overloads with 529                    | ANTHROPIC | false | fail=529               | 529 |   | /error/type   | overloaded_error
      openai overloads with 503                       | OPENAI    | false | fail=529               | 503 |   | /error/type   | server_error
      """)
  void fails_with_each_providers_own_status_and_error_shape(String what, Dialect dialect, boolean stream,
      String directive, int status, String retryAfter, String errorField, String expected) {
    HttpResponse<String> r = FakeHttp.chat(fake.url(), dialect, stream, "x [[fake:" + directive + "]]");

    assertThat(r.statusCode()).isEqualTo(status);
    if (retryAfter != null) {
      assertThat(r.headers().firstValue("retry-after")).contains(retryAfter);
    }
    assertThat(json(r.body()).at(errorField).asText()).isEqualTo(expected);
  }

  @Test
  void cut_openai_stream_breaks_off_after_n_chunks_without_done() {
    HttpResponse<InputStream> r = postForStream(openAi(), openAiChat(true, "x [[fake:cut=2]]"), openAiAuth());

    assertThat(r.statusCode()).isEqualTo(200);
    FakeHttp.Body body = FakeHttp.readAll(r.body());
    assertThat(body.brokenOff()).isTrue();
    assertThat(body.text()).doesNotContain("[DONE]").doesNotContain("finish_reason\":\"stop");
    List<JsonNode> chunks = dataJson(sse(body.text()));
    assertThat(chunks).hasSize(3); // role chunk and two words
  }

  @Test
  void cut_anthropic_stream_breaks_off_without_message_stop() {
    HttpResponse<InputStream> r = postForStream(anthropic(), anthropicChat(true, "x [[fake:cut=1]]"), anthropicAuth());

    FakeHttp.Body body = FakeHttp.readAll(r.body());
    assertThat(body.brokenOff()).isTrue();
    assertThat(sse(body.text())).extracting(SseEvent::event)
        .containsExactly("message_start", "content_block_start", "ping", "content_block_delta");
  }

  @Test
  void cut_whole_answer_breaks_off_mid_json() {
    HttpResponse<InputStream> r = postForStream(openAi(), openAiChat(false, "x [[fake:cut=1]]"), openAiAuth());

    FakeHttp.Body body = FakeHttp.readAll(r.body());
    assertThat(body.brokenOff()).isTrue();
    assertThat(FakeHttp.isJson(body.text())).isFalse();
  }

  @Test
  void malformed_chunk_is_broken_json_and_the_stream_goes_on() {
    List<SseEvent> events = sse(post(openAi(), openAiChat(true, "x [[fake:malformed=2]]"), openAiAuth()).body());

    // events: role chunk, word 1, word 2 (broken), words 3..8, finish, [DONE]
    assertThat(FakeHttp.isJson(events.get(1).data())).isTrue();
    assertThat(FakeHttp.isJson(events.get(2).data())).isFalse();
    assertThat(FakeHttp.isJson(events.get(3).data())).isTrue();
    assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
  }

  @Test
  void in_band_error_ends_an_openai_stream_without_done() {
    List<SseEvent> events = sse(post(openAi(), openAiChat(true, "x [[fake:inband-error=2]]"), openAiAuth()).body());

    assertThat(events).hasSize(4); // role, 2 words, error
    JsonNode error = json(events.get(3).data()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("server_error");
    assertThat(events).noneMatch(e -> e.data().equals("[DONE]"));
  }

  @Test
  void in_band_error_is_an_anthropic_error_event_without_message_stop() {
    List<SseEvent> events = sse(post(anthropic(), anthropicChat(true, "x [[fake:inband-error=1]]"), anthropicAuth()).body());

    assertThat(events).extracting(SseEvent::event)
        .containsExactly("message_start", "content_block_start", "ping", "content_block_delta", "error");
    assertThat(json(events.get(4).data()).path("error").path("type").asText()).isEqualTo("overloaded_error");
  }

  @Test
  void hang_never_answers_so_the_client_times_out() {
    var request = FakeHttp.request(openAi(), openAiChat(false, "x [[fake:hang]]"), Duration.ofMillis(300), openAiAuth());

    assertThatThrownBy(() -> FakeHttp.client().send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
  }

  @Test
  void counts_a_stream_the_client_abandons() throws IOException {
    long before = fake.provider().cancelledStreams();
    HttpResponse<InputStream> r = postForStream(openAi(), openAiChat(true, "x [[fake:chunks=2000,delay=5]]"), openAiAuth());

    try (InputStream in = r.body()) {
      assertThat(in.read(new byte[16])).isPositive();
    }

    FakeHttp.await(Duration.ofSeconds(10), () -> fake.provider().cancelledStreams() > before);
    assertThat(fake.provider().cancelledStreams()).isEqualTo(before + 1);
  }

  @Test
  void a_completed_stream_is_not_counted_as_cancelled() {
    long before = fake.provider().cancelledStreams();

    post(openAi(), openAiChat(true, "x"), openAiAuth());

    assertThat(fake.provider().cancelledStreams()).isEqualTo(before);
  }

  @Test
  void timed_stream_still_arrives_whole() {
    List<SseEvent> events = sse(post(anthropic(),
        anthropicChat(true, "x [[fake:latency=5,ttft=20,delay=5,chunks=4]]"), anthropicAuth()).body());

    assertThat(events).extracting(SseEvent::event).endsWith("message_delta", "message_stop");
    assertThat(events).filteredOn(e -> e.event().equals("content_block_delta")).hasSize(4);
  }

  @Test
  void set_behaviour_applies_to_following_requests_and_directives_override_it() {
    fake.provider().setBehaviour(Behaviour.defaults().withChunks(2).withFailure(Failure.STATUS_500));

    HttpResponse<String> failing = post(openAi(), openAiChat(false, "x"), openAiAuth());
    HttpResponse<String> overridden = post(openAi(), openAiChat(false, "x [[fake:fail=429]]"), openAiAuth());
    fake.provider().setBehaviour(Behaviour.defaults().withChunks(2));
    HttpResponse<String> ok = post(openAi(), openAiChat(false, "x"), openAiAuth());

    assertThat(failing.statusCode()).isEqualTo(500);
    assertThat(overridden.statusCode()).isEqualTo(429);
    assertThat(json(ok.body()).path("choices").get(0).path("message").path("content").asText()).isEqualTo("Fake reply");
  }

  @Test
  void settings_behaviour_is_the_default_of_a_new_provider() {
    FakeProvider other = FakeProvider.start(FakeProviderSettings.defaults().withApiKey("other-key")
        .withBehaviour(Behaviour.defaults().withChunks(1).withCachedTokens(3)));
    try {
      JsonNode body = json(post(other.url() + "/v1/chat/completions", openAiChat(false, "a b c d"),
          "authorization", "Bearer other-key").body());

      assertThat(body.path("choices").get(0).path("message").path("content").asText()).isEqualTo("Fake");
      assertThat(body.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(3);
    } finally {
      other.stop();
    }
  }
}
