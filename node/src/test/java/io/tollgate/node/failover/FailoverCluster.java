package io.tollgate.node.failover;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tollgate.fake.FakeProvider;
import io.tollgate.fake.FakeProviderSettings;
import io.tollgate.node.TollgateNode;
import io.tollgate.node.testing.Calls;
import io.tollgate.node.testing.SseFrame;
import io.tollgate.node.testing.SseReader;
import io.tollgate.node.testing.StreamingClient;
import io.tollgate.persistence.testing.TestCassandra;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Gateway nodes in this JVM forming their own cluster (own journal, snapshot and audit keyspaces,
 * so nothing is shared with {@link io.tollgate.node.testing.TestGateway}), with one fake provider
 * and the model groups a test gives. Circuits use the shipped defaults unless the test overrides them.
 */
final class FailoverCluster implements AutoCloseable {
  static final String ADMIN_TOKEN = "failover-admin-token";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final FakeProvider fake;
  private final List<ActorSystem<Void>> systems;
  private final List<TollgateNode> nodes;

  private FailoverCluster(FakeProvider fake, List<ActorSystem<Void>> systems, List<TollgateNode> nodes) {
    this.fake = fake;
    this.systems = systems;
    this.nodes = nodes;
  }

  /**
   * @param settings HOCON for this cluster: model groups ({@code tollgate.models...}) on the
   *     providers {@code fake-openai} / {@code fake-anthropic}, circuit and routing settings
   */
  static FailoverCluster start(int size, String settings) {
    return start(size, settings, "fo");
  }

  /** As {@link #start(int, String)}, on keyspaces of its own ({@code tollgate_<suffix>} ...), which a test may alter. */
  static FailoverCluster start(int size, String settings, String suffix) {
    FakeProvider fake = FakeProvider.start(FakeProviderSettings.defaults());
    List<ActorSystem<Void>> systems = new ArrayList<>();
    List<TollgateNode> nodes = new ArrayList<>();
    FailoverCluster cluster = new FailoverCluster(fake, systems, nodes);
    try {
      int seedPort = freePort();
      for (int i = 0; i < size; i++) {
        int port = i == 0 ? seedPort : freePort();
        Config config = ConfigFactory.parseString(String.join("\n",
                "tollgate.http.port = 0",
                "tollgate.admin-token = \"" + ADMIN_TOKEN + "\"",
                "tollgate.fake-provider-url = \"" + fake.url() + "\"",
                "tollgate.upstream.response-timeout = 3s",
                "tollgate.upstream.idle-timeout = 3s",
                "tollgate.metrics.tenant-label = off",
                "pekko.loglevel = WARNING",
                "pekko.remote.artery.canonical.hostname = \"127.0.0.1\"",
                "pekko.remote.artery.canonical.port = " + port,
                "pekko.cluster.seed-nodes = [\"pekko://tollgate-fo@127.0.0.1:" + seedPort + "\"]",
                "pekko.persistence.cassandra.journal.keyspace = tollgate_journal_" + suffix,
                "pekko.persistence.cassandra.snapshot.keyspace = tollgate_snapshot_" + suffix,
                "tollgate.cassandra.keyspace = tollgate_" + suffix))
            .withFallback(ConfigFactory.parseString(settings))
            .withFallback(TestCassandra.driverOverlay())
            .withFallback(ConfigFactory.parseResources("application.conf"))
            .withFallback(ConfigFactory.defaultReference())
            .resolve();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "tollgate-fo", config);
        systems.add(system);
        nodes.add(TollgateNode.start(system).toCompletableFuture().get(120, TimeUnit.SECONDS));
      }
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw new IllegalStateException("failover cluster did not start", e);
    }
  }

  TollgateNode node(int i) {
    return nodes.get(i);
  }

  String url(int i) {
    return nodes.get(i).url();
  }

  record Tenant(String id, String keyId, String key) {}

  /** A fresh tenant and key (created through node 0); waits until every node accepts the key. */
  Tenant newTenant() {
    String tenant = "fo-" + UUID.randomUUID().toString().substring(0, 10);
    admin(0, "POST", "/admin/tenants", "{\"tenant_id\":\"" + tenant + "\"}", 201);
    JsonNode key = admin(0, "POST", "/admin/tenants/" + tenant + "/keys", "{\"name\":\"fo\"}", 201);
    Tenant t = new Tenant(tenant, key.get("key_id").asText(), key.get("key").asText());
    for (int i = 0; i < nodes.size(); i++) {
      int node = i;
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> send(
          Calls.request(url(node) + "/v1/models", "GET", t.key(), null).build()).statusCode() == 200);
    }
    return t;
  }

  /** A streamed chat call read to its end. */
  Streamed stream(int node, String key, String model, String text) {
    try {
      HttpResponse<java.io.InputStream> response = HTTP.send(
          StreamingClient.OPENAI.request(url(node), key, model, text), HttpResponse.BodyHandlers.ofInputStream());
      try (SseReader reader = new SseReader(response.body())) {
        return new Streamed(response.statusCode(), response.headers(), reader.rest());
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  record Streamed(int status, java.net.http.HttpHeaders headers, List<SseFrame> frames) {
    String deployment() {
      return headers.firstValue("x-tollgate-deployment").orElse("");
    }

    boolean endedCleanly() {
      return !frames.isEmpty() && StreamingClient.OPENAI.isCleanEnd(frames.get(frames.size() - 1));
    }

    boolean hasError() {
      return frames.stream().anyMatch(StreamingClient.OPENAI::isError);
    }

    String text() {
      StringBuilder out = new StringBuilder();
      frames.forEach(f -> out.append(StreamingClient.OPENAI.text(f)));
      return out.toString();
    }
  }

  JsonNode admin(int node, String method, String path, String body, int expectedStatus) {
    HttpResponse<String> response = send(Calls.request(url(node) + path, method, ADMIN_TOKEN, body).build());
    if (response.statusCode() != expectedStatus) {
      throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return Calls.json(response.body());
  }

  HttpResponse<String> chat(int node, String key, String model, String text) {
    return send(Calls.openAiChat(url(node), key, Calls.chatBody(model, text)));
  }

  static HttpResponse<String> send(java.net.http.HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    for (int i = systems.size() - 1; i >= 0; i--) {
      ActorSystem<Void> s = systems.get(i);
      s.terminate();
      try {
        s.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // best effort: the JVM ends after the tests anyway
      }
    }
    fake.stop();
  }
}
