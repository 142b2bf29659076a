package io.tollgate.node.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tollgate.fake.FakeProvider;
import io.tollgate.fake.FakeProviderSettings;
import io.tollgate.node.TollgateNode;
import io.tollgate.node.testing.Calls;
import io.tollgate.persistence.testing.TestCassandra;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.awaitility.Awaitility;

/**
 * Gateway nodes in this JVM forming their own cluster with keyspaces of their own (nothing shared
 * with {@link io.tollgate.node.testing.TestGateway}), plus the admin and key calls the key tests use.
 */
final class KeyCluster implements AutoCloseable {
  static final String ADMIN_TOKEN = "key-cluster-admin-token";
  private static final String NAME = "tollgate-kd";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final FakeProvider fake;
  private final int seedPort;
  private final List<ActorSystem<Void>> systems = new ArrayList<>();
  private final List<TollgateNode> nodes = new ArrayList<>();

  private KeyCluster(FakeProvider fake, int seedPort) {
    this.fake = fake;
    this.seedPort = seedPort;
  }

  static KeyCluster start(int size) {
    KeyCluster cluster = new KeyCluster(FakeProvider.start(FakeProviderSettings.defaults()), freePort());
    try {
      for (int i = 0; i < size; i++) {
        cluster.addNode();
      }
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** Starts one more node, joining the cluster; returns its index once it is ready. */
  int addNode() {
    int port = systems.isEmpty() ? seedPort : freePort();
    Config config = ConfigFactory.parseString(String.join("\n",
            "tollgate.http.port = 0",
            "tollgate.admin-token = \"" + ADMIN_TOKEN + "\"",
            "tollgate.fake-provider-url = \"" + fake.url() + "\"",
            "tollgate.metrics.tenant-label = off",
            "pekko.loglevel = WARNING",
            "pekko.remote.artery.canonical.hostname = \"127.0.0.1\"",
            "pekko.remote.artery.canonical.port = " + port,
            "pekko.cluster.seed-nodes = [\"pekko://" + NAME + "@127.0.0.1:" + seedPort + "\"]",
            "pekko.persistence.cassandra.journal.keyspace = tollgate_journal_kd",
            "pekko.persistence.cassandra.snapshot.keyspace = tollgate_snapshot_kd",
            "tollgate.cassandra.keyspace = tollgate_kd"))
        .withFallback(TestCassandra.driverOverlay())
        .withFallback(ConfigFactory.parseResources("application.conf"))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), NAME, config);
    systems.add(system);
    try {
      nodes.add(TollgateNode.start(system).toCompletableFuture().get(120, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new IllegalStateException("node " + systems.size() + " did not start", e);
    }
    return nodes.size() - 1;
  }

  /** Stops the last node started. */
  void stopLastNode() {
    ActorSystem<Void> system = systems.remove(systems.size() - 1);
    nodes.remove(nodes.size() - 1);
    terminate(system);
  }

  int size() {
    return nodes.size();
  }

  TollgateNode node(int i) {
    return nodes.get(i);
  }

  String url(int i) {
    return nodes.get(i).url();
  }

  /**
   * Creates a tenant; a 503 (the registry entity still starting on a loaded machine) is asked again,
   * and a retry that finds the tenant created by the attempt before counts as done.
   */
  void createTenant(int node, String tenant) {
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
        .until(() -> {
          HttpResponse<String> r = send(Calls.request(url(node) + "/admin/tenants", "POST", ADMIN_TOKEN,
              "{\"tenant_id\":\"" + tenant + "\"}").build());
          if (r.statusCode() == 503) {
            return false;
          }
          if (r.statusCode() != 201 && !r.body().contains("already exists")) {
            throw new AssertionError("creating tenant " + tenant + " answered " + r.statusCode() + ": " + r.body());
          }
          return true;
        });
  }

  record Key(String tenant, String keyId, String secret) {}

  Key createKey(int node, String tenant, String name) {
    JsonNode key = admin(node, "POST", "/admin/tenants/" + tenant + "/keys", "{\"name\":\"" + name + "\"}", 201);
    return new Key(tenant, key.get("key_id").asText(), key.get("key").asText());
  }

  void revoke(int node, Key key) {
    admin(node, "POST", "/admin/tenants/" + key.tenant() + "/keys/" + key.keyId() + "/revoke", "", 200);
  }

  /** One page of a tenant's keys as the admin API answers it on {@code node}. */
  JsonNode listKeys(int node, String tenant, String query) {
    return admin(node, "GET", "/admin/tenants/" + tenant + "/keys" + query, null, 200);
  }

  /** The status of {@code GET /v1/models} with {@code secret} on {@code node}: 200 accepted, 401 refused. */
  int status(int node, String secret) {
    return send(Calls.request(url(node) + "/v1/models", "GET", secret, null).build()).statusCode();
  }

  JsonNode admin(int node, String method, String path, String body, int expectedStatus) {
    HttpResponse<String> response = send(Calls.request(url(node) + path, method, ADMIN_TOKEN, body).build());
    if (response.statusCode() != expectedStatus) {
      throw new AssertionError(method + " " + path + " on node " + node + " answered " + response.statusCode()
          + ": " + response.body());
    }
    return Calls.json(response.body());
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void terminate(ActorSystem<Void> system) {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // best effort: the JVM ends after the tests anyway
    }
  }

  @Override
  public void close() {
    for (int i = systems.size() - 1; i >= 0; i--) {
      terminate(systems.get(i));
    }
    fake.stop();
  }
}
