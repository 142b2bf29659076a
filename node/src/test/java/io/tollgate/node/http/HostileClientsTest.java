package io.tollgate.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tollgate.node.TollgateNode;
import io.tollgate.persistence.testing.TestCassandra;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One node against clients without a valid credential: a slowloris client that opens more
 * connections than the node accepts at once and sends each half a header block, a few bytes at a
 * time (real clients still get their answers, every slow connection is closed once the header
 * timeout has passed), and an admin token guesser (throttled per source address).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileClientsTest {
  private static final int MAX_CONNECTIONS = 8;
  private static final int SLOW_CONNECTIONS = 3 * MAX_CONNECTIONS;
  private static final Duration GENEROUS = Duration.ofSeconds(60);
  private static final String ADMIN_TOKEN = "hostile-clients-admin-token";
  private static final int MAX_ADMIN_FAILURES = 3;

  private ActorSystem<Void> system;
  private TollgateNode node;
  private final ScheduledExecutorService trickle = Executors.newScheduledThreadPool(2);
  private final ExecutorService readers = Executors.newCachedThreadPool();

  @BeforeAll
  void start() throws Exception {
    Config config = ConfigFactory.parseString(String.join("\n",
            "tollgate.http.port = 0",
            "tollgate.http.header-timeout = 2s",
            "tollgate.admin-token = \"" + ADMIN_TOKEN + "\"",
            "tollgate.security.admin-auth-failures.max-failures = " + MAX_ADMIN_FAILURES,
            "tollgate.security.admin-auth-failures.window = 10m",
            "pekko.http.server.max-connections = " + MAX_CONNECTIONS,
            "pekko.remote.artery.canonical.port = 0",
            "pekko.loglevel = WARNING",
            "pekko.persistence.cassandra.journal.keyspace = tollgate_journal_sl",
            "pekko.persistence.cassandra.snapshot.keyspace = tollgate_snapshot_sl",
            "tollgate.cassandra.keyspace = tollgate_sl"))
        .withFallback(TestCassandra.driverOverlay())
        .withFallback(ConfigFactory.parseResources("application.conf"))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
    system = ActorSystem.create(Behaviors.empty(), "tollgate-hostile", config);
    node = TollgateNode.start(system).toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() {
    trickle.shutdownNow();
    readers.shutdownNow();
    if (system != null) {
      system.terminate();
    }
  }

  @Test
  void slow_header_connections_cannot_starve_real_clients_and_are_closed() throws Exception {
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < SLOW_CONNECTIONS; i++) {
      slow.add(trickleHalfAHeaderBlock());
    }
    List<CompletableFuture<Void>> closed = slow.stream().map(this::closedByServer).toList();

    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    List<CompletableFuture<HttpResponse<String>>> real = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      real.add(client.sendAsync(HttpRequest.newBuilder(URI.create(node.url() + "/alive")).timeout(GENEROUS).build(),
          HttpResponse.BodyHandlers.ofString()));
    }

    for (CompletableFuture<HttpResponse<String>> answer : real) {
      assertThat(answer.get(GENEROUS.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    CompletableFuture.allOf(closed.toArray(new CompletableFuture[0])).get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void a_source_that_guessed_wrong_admin_tokens_is_refused_even_with_the_right_one_until_its_window_ends()
      throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> noToken = client.send(admin(null), HttpResponse.BodyHandlers.ofString());
    List<Integer> guesses = new ArrayList<>();
    for (int i = 0; i < MAX_ADMIN_FAILURES; i++) {
      guesses.add(client.send(admin("guess-" + i), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    HttpResponse<String> right = client.send(admin(ADMIN_TOKEN), HttpResponse.BodyHandlers.ofString());

    assertThat(noToken.statusCode()).as("a call without a token does not count").isEqualTo(401);
    assertThat(guesses).containsOnly(401);
    assertThat(right.statusCode()).isEqualTo(429);
    assertThat(right.body()).contains("rate_limit_error").doesNotContain("data");
    assertThat(right.headers().firstValueAsLong("retry-after").orElse(0)).isPositive();
  }

  private HttpRequest admin(String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url() + "/admin/tenants")).timeout(GENEROUS);
    if (token != null) {
      b.header("authorization", "Bearer " + token);
    }
    return b.build();
  }

  /** A connection that sends a request line and one header, then one more header byte every 200 ms. */
  private Socket trickleHalfAHeaderBlock() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), node.port());
    OutputStream out = socket.getOutputStream();
    out.write("POST /v1/chat/completions HTTP/1.1\r\nHost: tollgate\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    trickle.scheduleWithFixedDelay(() -> {
      try {
        out.write('a');
        out.flush();
      } catch (IOException closedByServer) {
        throw new IllegalStateException("stop trickling", closedByServer);
      }
    }, 200, 200, TimeUnit.MILLISECONDS);
    return socket;
  }

  /** Completes when the server has closed the connection (end of stream or a reset). */
  private CompletableFuture<Void> closedByServer(Socket socket) {
    return CompletableFuture.runAsync(() -> {
      try (InputStream in = socket.getInputStream()) {
        while (in.read() >= 0) {
          // a 408 or any other bytes before the close are fine
        }
      } catch (IOException reset) {
        // a reset is a close too
      }
    }, readers);
  }
}
