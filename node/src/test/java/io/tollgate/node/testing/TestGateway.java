package io.tollgate.node.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tollgate.fake.FakeProvider;
import io.tollgate.fake.FakeProviderSettings;
import io.tollgate.node.TollgateNode;
import io.tollgate.persistence.testing.TestCassandra;
import io.tollgate.protocol.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.awaitility.Awaitility;

/**
 * One gateway per test JVM: the test Cassandra, an in-process fake provider and a node on a free
 * port, plus admin helpers. Every test makes its own tenant, so tests stay independent.
 */
public final class TestGateway {
  public static final String ADMIN_TOKEN = "test-admin-token";
  /** Model routed to a provider port where nothing listens (upstream connect failure). */
  public static final String DEAD_MODEL = "dead-model";
  /** Model served by the fake provider through the Azure OpenAI wire (deployment URL, api-key header). */
  public static final String AZURE_MODEL = "azure-test";
  public static final String AZURE_DEPLOYMENT = "my-gpt-deployment";
  public static final String AZURE_API_VERSION = "2024-10-21";
  /** Body limit of the test node, small so the 413 test stays quick. */
  public static final long MAX_BODY_BYTES = 1024 * 1024;

  private static TestGateway instance;

  public final FakeProvider fake;
  public final TollgateNode node;
  private final ActorSystem<Void> system;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestGateway(FakeProvider fake, ActorSystem<Void> system, TollgateNode node) {
    this.fake = fake;
    this.system = system;
    this.node = node;
  }

  public static synchronized TestGateway get() {
    if (instance == null) {
      instance = start();
      TestGateway started = instance;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "test-gateway-stop"));
    }
    return instance;
  }

  private static TestGateway start() {
    Config cassandra = TestCassandra.driverOverlay();
    FakeProvider fake = FakeProvider.start(FakeProviderSettings.defaults());
    Config config = ConfigFactory.parseString(String.join("\n",
            "tollgate.http.port = 0",
            "tollgate.admin-token = \"" + ADMIN_TOKEN + "\"",
            "tollgate.fake-provider-url = \"" + fake.url() + "\"",
            "tollgate.http.max-body-bytes = " + MAX_BODY_BYTES,
            "tollgate.upstream.response-timeout = 3s",
            "tollgate.upstream.idle-timeout = 3s",
            "pekko.remote.artery.canonical.port = 0",
            "pekko.loglevel = WARNING",
            "tollgate.metrics.tenant-label = all",
            // Tests present wrong admin tokens on purpose; the per-source throttle has its own test (HostileClientsTest).
            "tollgate.security.admin-auth-failures.max-failures = 1000000",
            // Feature tests inject provider failures into the shared demo deployments on purpose;
            // circuits would let one test's failures refuse the next test's calls. Circuits have
            // their own cluster in failover/FailoverTest and circuit/*.
            "tollgate.circuits.enabled = false",
            // Every test of this JVM calls from 127.0.0.1: their refused calls together must not
            // throttle each other. The per-source limit has its own node in limits/RefusalThrottleTest.
            "tollgate.limits.rejections.per-source = 0",
            "tollgate.providers.dead { schema = openai, base-url = \"http://127.0.0.1:" + closedPort() + "/v1\", api-key = \"dead-key\" }",
            "tollgate.providers.fake-azure { schema = openai, base-url = \"" + fake.url() + "\", api-key = \"fake-provider-key\", azure-api-version = \"" + AZURE_API_VERSION + "\" }",
            "tollgate.models." + AZURE_MODEL + " { provider = fake-azure, upstream-model = \"" + AZURE_DEPLOYMENT + "\", price { input = 2.5, output = 10 } }",
            "tollgate.models." + DEAD_MODEL + " { provider = dead, upstream-model = \"gpt-x\", price { input = 1, output = 1 } }"))
        .withFallback(cassandra)
        .withFallback(ConfigFactory.parseResources("application.conf"))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "tollgate-test", config);
    try {
      TollgateNode node = TollgateNode.start(system).toCompletableFuture().get(120, TimeUnit.SECONDS);
      return new TestGateway(fake, system, node);
    } catch (Exception e) {
      system.terminate();
      fake.stop();
      throw new IllegalStateException("test gateway did not start", e);
    }
  }

  private static int closedPort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void stop() {
    system.terminate();
    fake.stop();
  }

  public String url() {
    return node.url();
  }

  /** A fresh tenant with one key that may use every model. */
  public Tenant newTenant() {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 12);
    admin("POST", "/admin/tenants", "{\"tenant_id\":\"" + id + "\",\"name\":\"Test " + id + "\"}", 201);
    return new Tenant(id, createKey(id, List.of()));
  }

  public Key createKey(String tenantId, List<String> allowedModels) {
    StringBuilder models = new StringBuilder("[");
    for (int i = 0; i < allowedModels.size(); i++) {
      models.append(i == 0 ? "" : ",").append('"').append(allowedModels.get(i)).append('"');
    }
    JsonNode created = admin("POST", "/admin/tenants/" + tenantId + "/keys",
        "{\"name\":\"test\",\"allowed_models\":" + models + "]}", 201);
    return new Key(created.get("key_id").asText(), created.get("key").asText());
  }

  public void revoke(String tenantId, String keyId) {
    admin("POST", "/admin/tenants/" + tenantId + "/keys/" + keyId + "/revoke", "", 200);
  }

  public List<JsonNode> auditRecords(String tenantId) {
    JsonNode page = admin("GET", "/admin/tenants/" + tenantId + "/audit", null, 200);
    List<JsonNode> out = new ArrayList<>();
    page.get("data").forEach(out::add);
    return out;
  }

  /** The audit record of a request, waiting for the asynchronous write. */
  public JsonNode awaitAudit(String tenantId, String requestId) {
    return Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
        .until(() -> find(tenantId, requestId), Optional::isPresent).orElseThrow();
  }

  private Optional<JsonNode> find(String tenantId, String requestId) {
    return auditRecords(tenantId).stream().filter(r -> requestId.equals(r.path("request_id").asText())).findFirst();
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpClient http() {
    return http;
  }

  private JsonNode admin(String method, String path, String body, int expectedStatus) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path))
        .header("authorization", "Bearer " + ADMIN_TOKEN)
        .timeout(Duration.ofSeconds(20));
    if (body == null) {
      b.GET();
    } else {
      b.header("content-type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<String> response = send(b.build());
    if (response.statusCode() != expectedStatus) {
      throw new IllegalStateException("admin " + method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    try {
      return Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public record Key(String keyId, String secret) {}

  public record Tenant(String id, Key key) {}
}
