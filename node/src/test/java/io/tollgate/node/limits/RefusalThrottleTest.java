package io.tollgate.node.limits;

import static io.tollgate.node.testing.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tollgate.fake.FakeProvider;
import io.tollgate.fake.FakeProviderSettings;
import io.tollgate.node.TollgateNode;
import io.tollgate.node.testing.Calls;
import io.tollgate.persistence.testing.TestCassandra;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Floods of refused calls are throttled: past {@code tollgate.limits.rejections} a key, or a client
 * address, is answered 429 in its API's shape before anything else happens, while other keys and
 * addresses are still served. Its own node (own keyspaces) with small limits, so the shared test
 * gateway's callers never share its buckets.
 */
class RefusalThrottleTest {
  private static final String ADMIN = "limits-admin-token";
  private static final int PER_KEY = 3;
  private static final int PER_SOURCE = 5;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static FakeProvider fake;
  private static ActorSystem<Void> system;
  private static TollgateNode node;
  private static String tenant;

  @BeforeAll
  static void start() throws Exception {
    fake = FakeProvider.start(FakeProviderSettings.defaults());
    Config config = ConfigFactory.parseString(String.join("\n",
            "tollgate.http.port = 0",
            "tollgate.admin-token = \"" + ADMIN + "\"",
            "tollgate.fake-provider-url = \"" + fake.url() + "\"",
            "tollgate.limits.rejections.per-key = " + PER_KEY,
            "tollgate.limits.rejections.per-source = " + PER_SOURCE,
            "tollgate.limits.rejections.per = 10m",
            "tollgate.metrics.tenant-label = off",
            "pekko.loglevel = WARNING",
            "pekko.remote.artery.canonical.hostname = \"127.0.0.1\"",
            "pekko.remote.artery.canonical.port = 0",
            "pekko.persistence.cassandra.journal.keyspace = tollgate_journal_lim",
            "pekko.persistence.cassandra.snapshot.keyspace = tollgate_snapshot_lim",
            "tollgate.cassandra.keyspace = tollgate_lim"))
        .withFallback(TestCassandra.driverOverlay())
        .withFallback(ConfigFactory.parseResources("application.conf"))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
    system = ActorSystem.create(Behaviors.empty(), "tollgate-lim", config);
    node = TollgateNode.start(system).toCompletableFuture().get(120, TimeUnit.SECONDS);
    tenant = "t-" + UUID.randomUUID().toString().substring(0, 12);
    admin("/admin/tenants", "{\"tenant_id\":\"" + tenant + "\",\"name\":\"limits\"}", 201);
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.terminate();
    }
    if (fake != null) {
      fake.stop();
    }
  }

  @Test
  void a_key_refused_too_often_gets_429_in_each_api_shape_while_other_keys_are_served() {
    String flooding = newKey();
    String quiet = newKey();
    for (int i = 0; i < PER_KEY; i++) {
      assertThat(send(Calls.openAiChat(node.url(), flooding, Calls.chatBody("no-such-model-" + i, "hi"))).statusCode())
          .isEqualTo(404);
    }
    HttpResponse<String> openAi = send(Calls.openAiChat(node.url(), flooding, Calls.chatBody("demo-openai", "hi")));
    assertThat(openAi.statusCode()).as(openAi.body()).isEqualTo(429);
    JsonNode error = json(openAi.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("rate_limit_error");
    assertThat(error.get("code").asText()).isEqualTo("too_many_rejected_requests");
    assertThat(Long.parseLong(openAi.headers().firstValue("retry-after").orElseThrow())).isPositive();
    assertThat(openAi.headers().firstValue("x-request-id")).isPresent();

    HttpResponse<String> anthropic = send(Calls.anthropicMessages(node.url(), flooding, Calls.chatBody("demo-anthropic", "hi", 16)));
    assertThat(anthropic.statusCode()).isEqualTo(429);
    assertThat(json(anthropic.body()).path("type").asText()).isEqualTo("error");
    assertThat(json(anthropic.body()).at("/error/type").asText()).isEqualTo("rate_limit_error");

    assertThat(send(Calls.openAiChat(node.url(), quiet, Calls.chatBody("demo-openai", "hi"))).statusCode()).isEqualTo(200);
  }

  @Test
  void an_address_refused_too_often_gets_429_even_with_a_good_key_while_other_addresses_are_served() throws IOException {
    String good = newKey();
    InetAddress flooder = InetAddress.getByName("127.0.0.3");
    for (int i = 0; i < PER_SOURCE; i++) {
      assertThat(rawChat(flooder, "tg_made-up-key-" + i, Calls.chatBody("demo-openai", "hi")).status()).isEqualTo(401);
    }
    Raw throttled = rawChat(flooder, good, Calls.chatBody("demo-openai", "hi"));
    assertThat(throttled.status()).isEqualTo(429);
    assertThat(json(throttled.body()).at("/error/code").asText()).isEqualTo("too_many_rejected_requests");
    assertThat(rawChat(InetAddress.getByName("127.0.0.1"), good, Calls.chatBody("demo-openai", "hi")).status()).isEqualTo(200);
  }

  // --- helpers --------------------------------------------------------------------------------

  private static String newKey() {
    return admin("/admin/tenants/" + tenant + "/keys", "{\"name\":\"k\"}", 201).get("key").asText();
  }

  private static JsonNode admin(String path, String body, int expected) {
    HttpResponse<String> r = send(Calls.request(node.url() + path, "POST", ADMIN, body).build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
    return json(r.body());
  }

  private static HttpResponse<String> send(java.net.http.HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private record Raw(int status, String body) {}

  /** One chat call over a socket bound to {@code from}: java.net.http cannot choose its local address. */
  private static Raw rawChat(InetAddress from, String key, String body) throws IOException {
    byte[] payload = body.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(20_000);
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", node.port()), 5_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
          + "\r\nContent-Type: application/json\r\nContent-Length: " + payload.length
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(payload);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String response = all.toString(StandardCharsets.UTF_8);
      int status = Integer.parseInt(response.substring(9, 12));
      int start = response.indexOf("\r\n\r\n") + 4;
      return new Raw(status, response.substring(start));
    }
  }
}
