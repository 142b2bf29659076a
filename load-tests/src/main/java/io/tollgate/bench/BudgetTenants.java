package io.tollgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Creates, through the gateway's admin API, the two tenants the budget comparison runs against:
 * {@value #WITH_LIMITS} with limits so large that nothing is refused (so every request goes
 * through a lease: admitted from it, settled into it, leases refilled), and
 * {@value #WITHOUT_LIMITS} with no limits at all (admission skips leases). Both get one key, and
 * both keys are tried until the gateway accepts them.
 */
final class BudgetTenants {
  static final String WITH_LIMITS = "bench-limits";
  static final String WITHOUT_LIMITS = "bench-no-limits";
  /** Present on answers to a key with a per-minute limit: proves the limits are in force. */
  static final String RATE_LIMIT_HEADER = "x-ratelimit-limit-requests";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  /** The secrets of the two keys; never printed. */
  record Keys(String withLimits, String withoutLimits) {
    @Override
    public String toString() {
      return "Keys[redacted]";
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final URI gateway;
  private final String adminToken;

  BudgetTenants(URI gateway, String adminToken) {
    this.gateway = gateway;
    this.adminToken = adminToken;
  }

  /**
   * Creates both tenants (the limits before any key exists, so the gateway's first read of them
   * already sees them) and a key of each, then waits until both keys work and the limited one's
   * answers carry rate-limit headers.
   */
  Keys create(String model, Duration readyWithin) throws IOException, InterruptedException {
    createTenant(WITH_LIMITS, "Benchmark tenant with limits");
    setLimits(WITH_LIMITS);
    createTenant(WITHOUT_LIMITS, "Benchmark tenant without limits");
    Keys keys = new Keys(createKey(WITH_LIMITS), createKey(WITHOUT_LIMITS));
    long deadline = System.nanoTime() + readyWithin.toNanos();
    HttpResponse<String> limited = awaitAccepted(keys.withLimits(), model, deadline);
    if (limited.headers().firstValue(RATE_LIMIT_HEADER).isEmpty()) {
      throw new IOException("the key of " + WITH_LIMITS + " is answered without " + RATE_LIMIT_HEADER
          + ": its limits are not in force");
    }
    HttpResponse<String> open = awaitAccepted(keys.withoutLimits(), model, deadline);
    if (open.headers().firstValue(RATE_LIMIT_HEADER).isPresent()) {
      throw new IOException("the key of " + WITHOUT_LIMITS + " is answered with " + RATE_LIMIT_HEADER
          + ": that tenant has limits");
    }
    return keys;
  }

  /** Limits large enough never to refuse a benchmark request, at the tenant level. */
  static ObjectNode limitsBody() {
    ObjectNode body = JSON.createObjectNode().put("time_zone", "UTC").put("fail_mode", "closed")
        .put("overdraft_usd", "0");
    ArrayNode limits = body.putArray("limits");
    limits.addObject().put("scope", "tenant").put("kind", "usd").put("period", "daily").put("amount", "1000000.00");
    limits.addObject().put("scope", "tenant").put("kind", "requests_per_minute").put("amount", 1_000_000_000L);
    limits.addObject().put("scope", "tenant").put("kind", "tokens_per_minute").put("amount", 1_000_000_000_000L);
    return body;
  }

  private void createTenant(String tenantId, String name) throws IOException, InterruptedException {
    HttpResponse<String> r = admin("POST", "/admin/tenants",
        JSON.createObjectNode().put("tenant_id", tenantId).put("name", name));
    // 409: left over from an earlier run on the same data; fine.
    if (r.statusCode() / 100 != 2 && r.statusCode() != 409) {
      throw failed("creating tenant " + tenantId, r);
    }
  }

  private void setLimits(String tenantId) throws IOException, InterruptedException {
    HttpResponse<String> r = admin("PUT", "/admin/tenants/" + tenantId + "/limits", limitsBody());
    if (r.statusCode() / 100 != 2) {
      throw failed("setting the limits of " + tenantId, r);
    }
  }

  private String createKey(String tenantId) throws IOException, InterruptedException {
    HttpResponse<String> r = admin("POST", "/admin/tenants/" + tenantId + "/keys",
        JSON.createObjectNode().put("name", "bench"));
    if (r.statusCode() / 100 != 2) {
      throw failed("creating a key of " + tenantId, r);
    }
    JsonNode key = JSON.readTree(r.body()).path("key");
    if (!key.isTextual() || key.asText().isEmpty()) {
      throw new IOException("creating a key of " + tenantId + ": the answer has no key");
    }
    return key.asText();
  }

  private HttpResponse<String> awaitAccepted(String key, String model, long deadlineNanos)
      throws IOException, InterruptedException {
    String body = "{\"model\":\"" + model + "\",\"max_tokens\":16,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello. [[fake:chunks=1]]\"}]}";
    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions"))
        .timeout(CALL_TIMEOUT)
        .header("content-type", "application/json")
        .header("authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .build();
    while (true) {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        return r;
      }
      if (System.nanoTime() - deadlineNanos >= 0) {
        throw failed("a benchmark key's first call", r);
      }
      // A new key reaches the gateway's key cache shortly after its creation.
      Thread.sleep(200);
    }
  }

  private HttpResponse<String> admin(String method, String path, JsonNode body)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + path))
        .timeout(CALL_TIMEOUT)
        .header("content-type", "application/json")
        .header("authorization", "Bearer " + adminToken)
        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8))
        .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The gateway's error bodies hold no secrets; the request's credentials are not repeated. */
  private static IOException failed(String what, HttpResponse<String> r) {
    String body = r.body() == null ? "" : r.body();
    return new IOException(what + ": HTTP " + r.statusCode() + " "
        + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
  }
}
