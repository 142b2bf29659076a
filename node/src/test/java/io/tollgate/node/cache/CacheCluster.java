package io.tollgate.node.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tollgate.fake.FakeProvider;
import io.tollgate.fake.FakeProviderSettings;
import io.tollgate.node.TollgateNode;
import io.tollgate.node.testing.Calls;
import io.tollgate.node.testing.SseFrame;
import io.tollgate.node.testing.SseReader;
import io.tollgate.persistence.cassandra.CassandraContactPoint;
import io.tollgate.persistence.testing.TestCassandra;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Gateway nodes in this JVM forming their own cluster (own keyspaces), with one fake provider
 * serving the demo models. Circuits are off and a call makes one attempt, so tests that break
 * answers on purpose do not change how later calls are routed.
 */
final class CacheCluster implements AutoCloseable {
  static final String ADMIN_TOKEN = "cache-admin-token-0123456789";
  static final String KEYSPACE = "tollgate_ca";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final FakeProvider fake;
  private final List<ActorSystem<Void>> systems = new ArrayList<>();
  private final List<TollgateNode> nodes = new ArrayList<>();

  private CacheCluster(FakeProvider fake) {
    this.fake = fake;
  }

  static CacheCluster start(int size) {
    CacheCluster cluster = new CacheCluster(FakeProvider.start(FakeProviderSettings.defaults()));
    try {
      int seedPort = freePort();
      for (int i = 0; i < size; i++) {
        int port = i == 0 ? seedPort : freePort();
        Config config = ConfigFactory.parseString(String.join("\n",
                "tollgate.http.port = 0",
                "tollgate.admin-token = \"" + ADMIN_TOKEN + "\"",
                "tollgate.fake-provider-url = \"" + cluster.fake.url() + "\"",
                "tollgate.upstream.response-timeout = 10s",
                "tollgate.metrics.tenant-label = off",
                "tollgate.circuits.enabled = false",
                "tollgate.routing.max-attempts = 1",
                "tollgate.tenant-admin.cache-ttl = 300ms",
                // generous on a busy 2-core test machine; the defaults are for production
                "tollgate.cache.lookup-timeout = 5s",
                "tollgate.cache.store-timeout = 3s",
                "tollgate.cache.single-flight.wait = 60s",
                "tollgate.cache.single-flight.lead-timeout = 60s",
                "pekko.loglevel = WARNING",
                "pekko.remote.artery.canonical.hostname = \"127.0.0.1\"",
                "pekko.remote.artery.canonical.port = " + port,
                "pekko.cluster.seed-nodes = [\"pekko://tollgate-ca@127.0.0.1:" + seedPort + "\"]",
                "pekko.persistence.cassandra.journal.keyspace = tollgate_journal_ca",
                "pekko.persistence.cassandra.snapshot.keyspace = tollgate_snapshot_ca",
                "tollgate.cassandra.keyspace = " + KEYSPACE))
            .withFallback(CassandraContactPoint.driverOverlay(TestCassandra.contactPoint()))
            .withFallback(ConfigFactory.parseResources("application.conf"))
            .withFallback(ConfigFactory.defaultReference())
            .resolve();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "tollgate-ca", config);
        cluster.systems.add(system);
        cluster.nodes.add(TollgateNode.start(system).toCompletableFuture().get(120, TimeUnit.SECONDS));
      }
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw new IllegalStateException("cache cluster did not start", e);
    }
  }

  TollgateNode node(int i) {
    return nodes.get(i);
  }

  int size() {
    return nodes.size();
  }

  String url(int i) {
    return nodes.get(i).url();
  }

  record Tenant(String id, String key) {}

  /** A fresh tenant with the given cache policy body (null: cache off) and a key every node accepts. */
  Tenant newTenant(String cachePolicy) {
    String tenant = "ca-" + UUID.randomUUID().toString().substring(0, 10);
    admin("POST", "/admin/tenants", "{\"tenant_id\":\"" + tenant + "\"}", 201);
    if (cachePolicy != null) {
      admin("PUT", "/admin/tenants/" + tenant + "/cache", cachePolicy, 200);
    }
    JsonNode key = admin("POST", "/admin/tenants/" + tenant + "/keys", "{\"name\":\"ca\"}", 201);
    Tenant t = new Tenant(tenant, key.get("key").asText());
    for (int i = 0; i < nodes.size(); i++) {
      int node = i;
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> send(
          Calls.request(url(node) + "/v1/models", "GET", t.key(), null).build()).statusCode() == 200);
    }
    return t;
  }

  JsonNode admin(String method, String path, String body, int expectedStatus) {
    HttpResponse<String> response = send(Calls.request(url(0) + path, method, ADMIN_TOKEN, body).build());
    if (response.statusCode() != expectedStatus) {
      throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return Calls.json(response.body());
  }

  /** Provider requests so far whose body contains {@code marker}. */
  long providerCalls(String marker) {
    return fake.requests().stream().filter(r -> r.body() != null && r.body().contains(marker)).count();
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A streamed call read to its end: status, headers and frames. */
  static Streamed stream(HttpRequest request) {
    try {
      HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
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
    String cache() {
      return headers.firstValue("x-tollgate-cache").orElse("");
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
