package io.tollgate.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The gateway calls providers with Pekko HTTP's client: it must see what the fake means to show. */
class PekkoClientCompatibilityTest {
  @RegisterExtension
  static final FakeProviderExtension fake = new FakeProviderExtension();
  private static ActorSystem client;

  @BeforeAll
  static void start() {
    client = ActorSystem.create("pekko-client", ConfigFactory.parseString(
        "pekko.loglevel = WARNING\npekko.stdout-loglevel = OFF").withFallback(ConfigFactory.defaultReference()));
  }

  @AfterAll
  static void stop() {
    client.terminate();
  }

  private HttpResponse send(String userText) throws Exception {
    HttpRequest request = HttpRequest.POST(fake.url(FakeHttp.ANTHROPIC_MESSAGES))
        .addHeader(RawHeader.create("x-api-key", FakeHttp.KEY))
        .addHeader(RawHeader.create("anthropic-version", "2023-06-01"))
        .withEntity(ContentTypes.APPLICATION_JSON, FakeHttp.anthropicChat(true, userText));
    return Http.get(client).singleRequest(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private String body(HttpResponse r) throws Exception {
    return r.entity().getDataBytes().runFold(ByteString.emptyByteString(), ByteString::concat, client)
        .toCompletableFuture().get(10, TimeUnit.SECONDS).utf8String();
  }

  @Test
  void reads_an_anthropic_529_with_its_body() throws Exception {
    HttpResponse r = send("x [[fake:fail=529]]");

    assertThat(r.status().intValue()).isEqualTo(529);
    assertThat(FakeHttp.json(body(r)).path("error").path("type").asText()).isEqualTo("overloaded_error");
  }

  @Test
  void sees_a_cut_stream_as_a_failed_entity() throws Exception {
    HttpResponse r = send("x [[fake:cut=1]]");

    assertThat(r.status().intValue()).isEqualTo(200);
    assertThatThrownBy(() -> body(r)).isInstanceOf(ExecutionException.class);
  }

  @Test
  void reads_a_whole_stream() throws Exception {
    String text = body(send("x [[fake:chunks=2]]"));

    assertThat(text).startsWith("event: message_start").contains("event: message_stop");
  }
}
