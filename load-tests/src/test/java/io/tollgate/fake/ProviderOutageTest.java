package io.tollgate.fake;

import static io.tollgate.fake.FakeHttp.OPENAI_CHAT;
import static io.tollgate.fake.FakeHttp.openAiAuth;
import static io.tollgate.fake.FakeHttp.openAiChat;
import static io.tollgate.fake.FakeHttp.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A named fake says who answered; pausing it is a provider outage, resuming ends it. */
class ProviderOutageTest {
  @RegisterExtension
  static final FakeProviderExtension fake =
      new FakeProviderExtension(FakeProviderSettings.defaults().withName("region-a"));

  /** A client with no pooled connections, so every call opens a new one. */
  private static HttpResponse<String> freshCall(String url) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return client.send(FakeHttp.request(url, openAiChat(false, "hi"), Duration.ofSeconds(10), openAiAuth()),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void a_named_fake_labels_every_answer_with_its_name() {
    HttpResponse<String> ok = post(fake.url(OPENAI_CHAT), openAiChat(false, "hi"), openAiAuth());
    HttpResponse<String> refused = post(fake.url(OPENAI_CHAT), openAiChat(false, "hi"), "authorization", "Bearer wrong");
    HttpResponse<String> failed = post(fake.url(OPENAI_CHAT), openAiChat(true, "hi [[fake:fail=500]]"), openAiAuth());

    assertThat(ok.headers().firstValue("x-fake-provider")).contains("region-a");
    assertThat(refused.headers().firstValue("x-fake-provider")).contains("region-a");
    assertThat(failed.headers().firstValue("x-fake-provider")).contains("region-a");
    assertThat(fake.provider().name()).contains("region-a");
  }

  @Test
  void an_unnamed_fake_sends_no_label() {
    FakeProvider unnamed = FakeProvider.start(FakeProviderSettings.defaults());
    try {
      HttpResponse<String> r = post(unnamed.url() + OPENAI_CHAT, openAiChat(false, "hi"), openAiAuth());

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("x-fake-provider")).isEmpty();
      assertThat(unnamed.name()).isEmpty();
    } finally {
      unnamed.stop();
    }
  }

  @Test
  void a_paused_fake_refuses_connections_and_answers_on_the_same_port_after_resume() throws Exception {
    String url = fake.url(OPENAI_CHAT);
    assertThat(freshCall(url).statusCode()).isEqualTo(200);

    fake.provider().pause();
    Throwable down = catchThrowable(() -> freshCall(url));
    fake.provider().resume();
    HttpResponse<String> back = freshCall(url);

    assertThat(down).isInstanceOf(ConnectException.class);
    assertThat(back.statusCode()).isEqualTo(200);
    assertThat(back.headers().firstValue("x-fake-provider")).contains("region-a");
    assertThat(fake.url(OPENAI_CHAT)).isEqualTo(url);
    assertThat(fake.provider().requests()).as("recorded requests survive the pause").hasSize(2);
  }

  @Test
  void pausing_ends_a_stream_that_is_under_way_without_its_end_marker() throws Exception {
    HttpResponse<InputStream> streaming = FakeHttp.postForStream(fake.url(OPENAI_CHAT),
        openAiChat(true, "hi [[fake:chunks=200,delay=50]]"), openAiAuth());
    InputStream body = streaming.body();
    assertThat(body.read()).as("the stream started").isNotNegative();
    CompletableFuture<FakeHttp.Body> rest = CompletableFuture.supplyAsync(() -> FakeHttp.readAll(body));

    fake.provider().pause();
    FakeHttp.Body read = rest.get(10, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(read.text()).doesNotContain("[DONE]");
    assertThat(fake.provider().paused()).isTrue();
  }

  @Test
  void pause_and_resume_may_be_called_twice() throws Exception {
    fake.provider().pause();
    fake.provider().pause();
    fake.provider().resume();
    fake.provider().resume();

    assertThat(fake.provider().paused()).isFalse();
    assertThat(freshCall(fake.url(OPENAI_CHAT)).statusCode()).isEqualTo(200);
  }

  @Test
  void a_name_that_cannot_be_a_header_value_is_refused() {
    assertThatThrownBy(() -> FakeProviderSettings.defaults().withName("bad\r\nname"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FakeProviderSettings.defaults().withName(""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
