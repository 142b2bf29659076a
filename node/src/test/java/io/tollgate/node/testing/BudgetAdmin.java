package io.tollgate.node.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.usage.TokenCounter;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The budget admin calls of the test gateway ({@code /admin/tenants/{t}/limits|spend|reconcile}),
 * keys with a team, every audit record of a tenant, and the worst case the gateway reserves for a
 * small chat request.
 */
public final class BudgetAdmin {
  private final TestGateway gateway;

  public BudgetAdmin(TestGateway gateway) {
    this.gateway = gateway;
  }

  /** {@code PUT limits} with {@code body}; the raw response (for the error cases). */
  public HttpResponse<String> putLimits(String tenantId, String body) {
    return call("PUT", "/admin/tenants/" + tenantId + "/limits", body, TestGateway.ADMIN_TOKEN);
  }

  /** {@code PUT limits}, which must succeed; the stored limits. */
  public JsonNode setLimits(String tenantId, String body) {
    return expect(putLimits(tenantId, body), 200);
  }

  public JsonNode limits(String tenantId) {
    return expect(call("GET", "/admin/tenants/" + tenantId + "/limits", null, TestGateway.ADMIN_TOKEN), 200);
  }

  public JsonNode spend(String tenantId) {
    return expect(call("GET", "/admin/tenants/" + tenantId + "/spend", null, TestGateway.ADMIN_TOKEN), 200);
  }

  /** The spend line of the limit with this scope and kind. */
  public JsonNode spendLine(String tenantId, String scope, String kind) {
    for (JsonNode line : spend(tenantId).get("data")) {
      if (scope.equals(line.get("scope").asText()) && kind.equals(line.get("kind").asText())) {
        return line;
      }
    }
    throw new IllegalStateException("no " + kind + " limit for " + scope + " in the spend of " + tenantId);
  }

  /** {@code GET reconcile?period=}. */
  public JsonNode reconcile(String tenantId, String period) {
    return expect(call("GET", "/admin/tenants/" + tenantId + "/reconcile?period=" + period, null,
        TestGateway.ADMIN_TOKEN), 200);
  }

  /** Any admin call, with any token (null: none). */
  public HttpResponse<String> call(String method, String path, String body, String token) {
    return gateway.send(Calls.request(gateway.url() + path, method, token, body).timeout(Duration.ofSeconds(20)).build());
  }

  /** A new key of {@code team} (null: none); the created key's JSON, secret included. */
  public JsonNode createKeyJson(String tenantId, String team) {
    String teamField = team == null ? "" : ",\"team\":\"" + team + "\"";
    return expect(call("POST", "/admin/tenants/" + tenantId + "/keys", "{\"name\":\"budget-test\"" + teamField + "}",
        TestGateway.ADMIN_TOKEN), 201);
  }

  public TestGateway.Key createKey(String tenantId, String team) {
    JsonNode created = createKeyJson(tenantId, team);
    return new TestGateway.Key(created.get("key_id").asText(), created.get("key").asText());
  }

  /** Every audit record of the tenant today (up to 1000). */
  public List<JsonNode> audit(String tenantId) {
    JsonNode page = expect(call("GET", "/admin/tenants/" + tenantId + "/audit?limit=1000", null,
        TestGateway.ADMIN_TOKEN), 200);
    List<JsonNode> out = new ArrayList<>();
    page.get("data").forEach(out::add);
    return out;
  }

  /**
   * What the gateway reserves for a chat request with one user message of {@code text} and
   * {@code maxTokens}: the prompt counted with o200k plus OpenAI's framing (3 per message and 3
   * for the reply), priced with the catalogue at the dearer of input and cache write, as if every
   * output token were used.
   */
  public static long worstCaseMicros(String model, String text, int maxTokens) {
    return worstCaseMicros(model, text, maxTokens, 1);
  }

  /** {@link #worstCaseMicros(String, String, int)} of a request for {@code n} completions. */
  public static long worstCaseMicros(String model, String text, int maxTokens, int n) {
    long prompt = 3 + 3 + TokenCounter.count(text);
    return CatalogPrice.of(model).worstCaseMicros(prompt, (long) maxTokens * n);
  }

  /** A limits body with one USD limit of {@code scope} per {@code period}, {@code usd} as a decimal string. */
  public static String usdLimit(String scope, String period, String usd) {
    return "{\"limits\":[{\"scope\":\"" + scope + "\",\"kind\":\"usd\",\"period\":\"" + period
        + "\",\"amount\":\"" + usd + "\"}]}";
  }

  /** A limits body with one {@code requests_per_minute} limit on a key. */
  public static String requestsPerMinute(String keyId, int amount) {
    return "{\"limits\":[{\"scope\":\"key:" + keyId + "\",\"kind\":\"requests_per_minute\",\"amount\":" + amount + "}]}";
  }

  /** Micro-dollars as the decimal dollar string the admin API reads. */
  public static String usd(long micros) {
    return BigDecimal.valueOf(micros, 6).toPlainString();
  }

  public static JsonNode json(HttpResponse<String> response) {
    return Calls.json(response.body());
  }

  private static JsonNode expect(HttpResponse<String> response, int status) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(response.request().method() + " " + response.request().uri().getPath()
          + " answered " + response.statusCode() + ": " + response.body());
    }
    return json(response);
  }
}
