package io.tollgate.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.Calls;
import io.tollgate.persistence.tenantadmin.AdminTokenStore;
import io.tollgate.persistence.tenantadmin.TenantRoutingStore;
import io.tollgate.persistence.testing.TestCassandra;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link RoutingPolicyRoutes} bound on a free port over the test Cassandra, called with a real
 * client: the global admin and a tenant's own admin token manage the tenant's routing policy, and
 * only models and deployments of the catalogue are accepted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutingPolicyRoutesTest {
  private static final String ADMIN_TOKEN = "routing-test-admin-token";
  private static final Map<String, Set<String>> CATALOGUE = Map.of(
      "gpt-4o", Set.of("azure-eu", "openai-us", "azure-us"),
      "claude", Set.of("anthropic-eu"));

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private ActorSystem<Void> system;
  private AdminTokenStore tokens;
  private String url;
  private String disabledUrl;

  @BeforeAll
  void bind() {
    system = ActorSystem.create(Behaviors.empty(), "routing-policy-test",
        TestCassandra.config("tollgate.cassandra.keyspace = tollgate_test"));
    tokens = AdminTokenStore.create(system);
    TenantRoutingStore store = TenantRoutingStore.create(system);
    await(tokens.ready());
    await(store.ready());
    RoutingPolicyRoutes routes = new RoutingPolicyRoutes(system, ADMIN_TOKEN, tokens, store,
        (model, deployment) -> CATALOGUE.getOrDefault(model, Set.of()).contains(deployment));
    RoutingPolicyRoutes disabled = new RoutingPolicyRoutes(system, "", tokens, store, (m, d) -> true);
    url = "http://127.0.0.1:" + await(Http.get(system).newServerAt("127.0.0.1", 0).bind(routes.routes()))
        .localAddress().getPort();
    disabledUrl = "http://127.0.0.1:" + await(Http.get(system).newServerAt("127.0.0.1", 0).bind(disabled.routes()))
        .localAddress().getPort();
  }

  @AfterAll
  void stop() {
    if (system != null) {
      system.terminate();
    }
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String newTenant() {
    return "t-" + UUID.randomUUID().toString().substring(0, 12);
  }

  private String tenantAdminToken(String tenant) {
    return await(tokens.create(tenant, "routing ops")).secret();
  }

  private HttpResponse<String> call(String method, String tenant, String token, String body) {
    return send(url, method, tenant, token, body);
  }

  private HttpResponse<String> send(String base, String method, String tenant, String token, String body) {
    try {
      return http.send(Calls.request(base + "/admin/tenants/" + tenant + "/routing", method, token, body).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode ok(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Calls.json(r.body());
  }

  private static void assertRefused(HttpResponse<String> r, int status, String type) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(Calls.json(r.body()).at("/error/type").asText()).isEqualTo(type);
  }

  @Test
  void a_tenant_that_never_set_a_policy_reads_the_defaults() {
    String tenant = newTenant();

    JsonNode policy = ok(call("GET", tenant, ADMIN_TOKEN, null));

    assertThat(policy.get("tenant_id").asText()).isEqualTo(tenant);
    assertThat(policy.get("allowed_deployments").isEmpty()).isTrue();
    assertThat(policy.get("pinned").isEmpty()).isTrue();
    assertThat(policy.get("strategy_keys").isEmpty()).isTrue();
    assertThat(policy.get("updated_at").isNull()).isTrue();
  }

  @Test
  void the_global_admin_sets_a_policy_and_reads_it_back() {
    String tenant = newTenant();

    JsonNode stored = ok(call("PUT", tenant, ADMIN_TOKEN, """
        {"allowed_deployments": {"gpt-4o": ["azure-eu", "azure-us"]},
         "pinned": {"claude": "anthropic-eu"},
         "strategy_keys": ["key-a"]}"""));
    JsonNode read = ok(call("GET", tenant, ADMIN_TOKEN, null));

    assertThat(read).isEqualTo(stored);
    assertThat(read.at("/allowed_deployments/gpt-4o")).extracting(JsonNode::asText).containsExactly("azure-eu", "azure-us");
    assertThat(read.at("/pinned/claude").asText()).isEqualTo("anthropic-eu");
    assertThat(read.get("strategy_keys")).extracting(JsonNode::asText).containsExactly("key-a");
    assertThat(read.get("updated_at").asText()).isNotBlank();
  }

  @Test
  void a_put_replaces_the_whole_policy() {
    String tenant = newTenant();
    ok(call("PUT", tenant, ADMIN_TOKEN, """
        {"allowed_deployments": {"gpt-4o": ["azure-eu"]}, "pinned": {"claude": "anthropic-eu"}}"""));

    ok(call("PUT", tenant, ADMIN_TOKEN, "{\"strategy_keys\": [\"*\"]}"));
    JsonNode read = ok(call("GET", tenant, ADMIN_TOKEN, null));

    assertThat(read.get("allowed_deployments").isEmpty()).isTrue();
    assertThat(read.get("pinned").isEmpty()).isTrue();
    assertThat(read.get("strategy_keys")).extracting(JsonNode::asText).containsExactly("*");
  }

  @Test
  void a_tenant_admin_manages_its_own_tenants_policy() {
    String tenant = newTenant();
    String token = tenantAdminToken(tenant);

    ok(call("PUT", tenant, token, "{\"pinned\": {\"gpt-4o\": \"openai-us\"}}"));

    assertThat(ok(call("GET", tenant, token, null)).at("/pinned/gpt-4o").asText()).isEqualTo("openai-us");
    assertThat(ok(call("GET", tenant, ADMIN_TOKEN, null)).at("/pinned/gpt-4o").asText()).isEqualTo("openai-us");
  }

  @Test
  void a_tenant_admin_may_neither_read_nor_change_another_tenants_policy() {
    String mine = newTenant();
    String theirs = newTenant();
    String token = tenantAdminToken(mine);
    ok(call("PUT", theirs, ADMIN_TOKEN, "{\"pinned\": {\"gpt-4o\": \"azure-eu\"}}"));

    HttpResponse<String> read = call("GET", theirs, token, null);
    HttpResponse<String> write = call("PUT", theirs, token, "{\"pinned\": {\"gpt-4o\": \"openai-us\"}}");

    assertRefused(read, 403, "permission_error");
    assertThat(read.body()).doesNotContain("azure-eu");
    assertRefused(write, 403, "permission_error");
    assertThat(ok(call("GET", theirs, ADMIN_TOKEN, null)).at("/pinned/gpt-4o").asText()).isEqualTo("azure-eu");
  }

  @Test
  void missing_and_wrong_tokens_get_401_and_no_admin_token_configured_gets_404() {
    String tenant = newTenant();

    for (String token : new String[] {null, "wrong", "tga_made-up-token", ADMIN_TOKEN + "x"}) {
      assertRefused(call("GET", tenant, token, null), 401, "authentication_error");
      assertRefused(call("PUT", tenant, token, "{}"), 401, "authentication_error");
    }
    assertThat(send(disabledUrl, "GET", tenant, ADMIN_TOKEN, null).statusCode()).isEqualTo(404);
  }

  @Test
  void unknown_models_and_deployments_and_malformed_policies_are_refused_with_400() {
    String tenant = newTenant();
    ok(call("PUT", tenant, ADMIN_TOKEN, "{\"pinned\": {\"gpt-4o\": \"azure-eu\"}}"));
    Map<String, String> badBodies = Map.of(
        "{\"allowed_deployments\": {\"gpt-5\": [\"azure-eu\"]}}", "model 'gpt-5' has no deployment 'azure-eu'",
        "{\"allowed_deployments\": {\"gpt-4o\": [\"azure-eu\", \"gemini-eu\"]}}", "has no deployment 'gemini-eu'",
        "{\"pinned\": {\"claude\": \"azure-eu\"}}", "model 'claude' has no deployment 'azure-eu'",
        "{\"allowed_deployments\": {\"gpt-4o\": []}}", "leave the model out to allow all",
        "{\"allowed_deployments\": {\"gpt-4o\": [\"azure-eu\"]}, \"pinned\": {\"gpt-4o\": \"openai-us\"}}",
        "allowed_deployments do not include",
        "{\"pin\": {\"gpt-4o\": \"azure-eu\"}}", "Unknown field 'pin'",
        "{\"strategy_keys\": \"key-a\"}", "'strategy_keys' must be a list",
        "{\"pinned\": {\"gpt-4o\": 7}}", "non-empty string",
        "not json", "not valid JSON");

    badBodies.forEach((body, message) -> {
      HttpResponse<String> r = call("PUT", tenant, ADMIN_TOKEN, body);

      assertRefused(r, 400, "invalid_request_error");
      assertThat(Calls.json(r.body()).at("/error/message").asText()).as(body).contains(message);
    });
    JsonNode unchanged = ok(call("GET", tenant, ADMIN_TOKEN, null));
    assertThat(unchanged.at("/pinned/gpt-4o").asText()).isEqualTo("azure-eu");
    assertThat(unchanged.get("allowed_deployments").isEmpty()).isTrue();
  }

  @Test
  void the_answer_lists_models_in_a_stable_order() {
    String tenant = newTenant();

    JsonNode stored = ok(call("PUT", tenant, ADMIN_TOKEN, """
        {"allowed_deployments": {"gpt-4o": ["openai-us"], "claude": ["anthropic-eu"]}}"""));

    List<String> models = new ArrayList<>();
    stored.get("allowed_deployments").fieldNames().forEachRemaining(models::add);
    assertThat(models).containsExactly("claude", "gpt-4o");
  }
}
