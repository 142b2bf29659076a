package io.tollgate.node.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.http.AuditRoutes;
import io.tollgate.node.testing.Calls;
import io.tollgate.persistence.audit.AuditBodies;
import io.tollgate.persistence.audit.AuditRecord;
import io.tollgate.persistence.audit.AuditStore;
import io.tollgate.persistence.tenantadmin.AdminTokenStore;
import io.tollgate.persistence.tenantadmin.TenantSettingsStore;
import io.tollgate.persistence.testing.TestCassandra;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * One {@link AuditRoutes} per test JVM, bound on a free port, on the test Cassandra, with the
 * stores behind it so tests can write audit records directly and call the API with a real client.
 */
final class AuditApi {
  static final String ADMIN_TOKEN = "audit-test-admin-token";
  private static AuditApi instance;

  final ActorSystem<Void> system;
  final AuditStore store;
  final AdminTokenStore tokens;
  final TenantSettingsStore settings;
  final AuditBodies bodies;
  private final ServerBinding binding;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private AuditApi(ActorSystem<Void> system, AuditStore store, AdminTokenStore tokens, TenantSettingsStore settings,
      ServerBinding binding) {
    this.system = system;
    this.store = store;
    this.tokens = tokens;
    this.settings = settings;
    this.bodies = new AuditBodies(store, settings::storesBodies);
    this.binding = binding;
  }

  static synchronized AuditApi get() {
    if (instance == null) {
      instance = start();
      ActorSystem<Void> system = instance.system;
      Runtime.getRuntime().addShutdownHook(new Thread(system::terminate, "audit-api-stop"));
    }
    return instance;
  }

  private static AuditApi start() {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "audit-api-test",
        TestCassandra.config("tollgate.cassandra.keyspace = tollgate_test"));
    try {
      AuditStore store = AuditStore.create(system);
      AdminTokenStore tokens = AdminTokenStore.create(system);
      TenantSettingsStore settings = TenantSettingsStore.create(system);
      await(store.ready());
      await(tokens.ready());
      await(settings.ready());
      AuditRoutes routes = new AuditRoutes(system, store, ADMIN_TOKEN, tokens, settings);
      ServerBinding binding = await(Http.get(system).newServerAt("127.0.0.1", 0).bind(routes.routes()));
      return new AuditApi(system, store, tokens, settings, binding);
    } catch (RuntimeException e) {
      system.terminate();
      throw e;
    }
  }

  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String newTenant() {
    return "t-" + UUID.randomUUID().toString().substring(0, 12);
  }

  void write(AuditRecord... records) {
    for (AuditRecord r : records) {
      await(store.write(r));
    }
  }

  /** A tenant admin token for {@code tenant}, created through the API by the global admin. */
  String tenantAdminToken(String tenant) {
    HttpResponse<String> r = call("POST", "/admin/tenants/" + tenant + "/admin-tokens", ADMIN_TOKEN, "{\"name\":\"finops\"}");
    if (r.statusCode() != 201) {
      throw new IllegalStateException("admin token not created: " + r.statusCode() + " " + r.body());
    }
    return Calls.json(r.body()).get("token").asText();
  }

  HttpResponse<String> get(String path, String token) {
    return call("GET", path, token, null);
  }

  HttpResponse<String> call(String method, String path, String token, String body) {
    HttpRequest request = Calls.request("http://127.0.0.1:" + binding.localAddress().getPort() + path, method, token, body)
        .timeout(Duration.ofSeconds(60)).build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The body of a 200 answer as JSON; fails with the status and body otherwise. */
  JsonNode ok(HttpResponse<String> r) {
    if (r.statusCode() != 200) {
      throw new AssertionError("expected 200, got " + r.statusCode() + ": " + r.body());
    }
    return Calls.json(r.body());
  }

  static AuditRecord record(String tenant, String requestId, Instant time, String key, String model, int status,
      String team, long cost) {
    return new AuditRecord(requestId, time, tenant, key, "openai", model, "fake-openai", "up-" + model,
        100 + cost % 7, 20 + cost % 5, cost % 3, 0, cost % 2 == 0, cost, 40, status == 200 ? 12 : -1, status,
        status >= 400 ? "upstream_error" : null, cost % 2 == 1, team, "lease-" + (cost % 2));
  }
}
