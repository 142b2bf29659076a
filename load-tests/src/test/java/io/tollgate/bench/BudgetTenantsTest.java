package io.tollgate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BudgetTenantsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN = "admin-token-1";

  /** A stand-in for the gateway's admin API and chat endpoint, as the README documents them. */
  private HttpServer server;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final Map<String, JsonNode> limits = new ConcurrentHashMap<>();
  private final Map<String, String> tenantOfKey = new ConcurrentHashMap<>();
  private final Map<String, Boolean> keySeen = new ConcurrentHashMap<>();
  private final AtomicBoolean rateHeaders = new AtomicBoolean(true);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getPath();
    String auth = ex.getRequestHeaders().getFirst("authorization");
    byte[] in = ex.getRequestBody().readAllBytes();
    calls.add(method + " " + path);
    if (path.startsWith("/admin/")) {
      if (!("Bearer " + ADMIN).equals(auth)) {
        reply(ex, 401, "{}");
        return;
      }
      String[] parts = path.split("/");
      if (method.equals("POST") && path.equals("/admin/tenants")) {
        reply(ex, 201, new String(in, StandardCharsets.UTF_8));
      } else if (method.equals("PUT") && path.endsWith("/limits")) {
        limits.put(parts[3], JSON.readTree(in));
        reply(ex, 200, new String(in, StandardCharsets.UTF_8));
      } else if (method.equals("POST") && path.endsWith("/keys")) {
        String secret = "tg_secret_" + parts[3];
        tenantOfKey.put(secret, parts[3]);
        reply(ex, 201, "{\"key_id\":\"k1\",\"key\":\"" + secret + "\"}");
      } else {
        reply(ex, 404, "{}");
      }
      return;
    }
    String key = auth == null ? "" : auth.substring("Bearer ".length());
    String tenant = tenantOfKey.get(key);
    // A new key is refused once, as if it had not reached the gateway's key cache yet.
    if (tenant == null || keySeen.put(key, true) == null) {
      reply(ex, 401, "{}");
      return;
    }
    if (limits.containsKey(tenant) && rateHeaders.get()) {
      ex.getResponseHeaders().add("x-ratelimit-limit-requests", "1000000000");
    }
    reply(ex, 200, "{\"choices\":[]}");
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] out = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, out.length);
    ex.getResponseBody().write(out);
    ex.close();
  }

  @Test
  void creates_one_tenant_with_never_refusing_limits_and_one_without_and_waits_for_both_keys() throws Exception {
    BudgetTenants.Keys keys = new BudgetTenants(url(), ADMIN).create("demo-openai", Duration.ofSeconds(10));

    assertThat(tenantOfKey.get(keys.withLimits())).isEqualTo(BudgetTenants.WITH_LIMITS);
    assertThat(tenantOfKey.get(keys.withoutLimits())).isEqualTo(BudgetTenants.WITHOUT_LIMITS);
    assertThat(keys.toString()).doesNotContain(keys.withLimits()).doesNotContain(keys.withoutLimits());
    assertThat(limits).containsOnlyKeys(BudgetTenants.WITH_LIMITS);
    JsonNode set = limits.get(BudgetTenants.WITH_LIMITS).path("limits");
    assertThat(set).extracting(l -> l.path("scope").asText() + " " + l.path("kind").asText())
        .containsExactlyInAnyOrder("tenant usd", "tenant requests_per_minute", "tenant tokens_per_minute");
    // The limits exist before the tenant's key, so the gateway's first read of them sees them.
    assertThat(calls.indexOf("PUT /admin/tenants/bench-limits/limits"))
        .isLessThan(calls.indexOf("POST /admin/tenants/bench-limits/keys"));
    assertThat(calls.stream().filter(c -> c.equals("POST /v1/chat/completions"))).hasSize(4);
  }

  @Test
  void refuses_to_compare_when_the_limited_key_is_answered_without_rate_limit_headers() {
    rateHeaders.set(false);

    assertThatThrownBy(() -> new BudgetTenants(url(), ADMIN).create("demo-openai", Duration.ofSeconds(10)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not in force");
  }

  @Test
  void a_wrong_admin_token_stops_the_set_up_with_the_status() {
    assertThatThrownBy(() -> new BudgetTenants(url(), "wrong").create("demo-openai", Duration.ofSeconds(10)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageNotContaining("wrong");
  }
}
