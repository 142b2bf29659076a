package io.tollgate.node.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Admin API calls (with {@link ClusterOfProcesses#ADMIN_TOKEN}) against whichever node a test names. */
public class ClusterAdminHttp {
  protected static final Duration TIMEOUT = Duration.ofSeconds(20);
  protected final HttpClient http;

  protected ClusterAdminHttp(HttpClient http) {
    this.http = http;
  }

  /** Any admin call; {@code body} null for none. */
  public HttpResponse<String> raw(String node, String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node + path))
        .timeout(TIMEOUT)
        .header("authorization", "Bearer " + ClusterOfProcesses.ADMIN_TOKEN);
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("content-type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return send(b.build());
  }

  /** Every audit record of the tenant in {@code [from, to)}, all pages. */
  public List<JsonNode> audit(String node, String tenantId, Instant from, Instant to) {
    List<JsonNode> out = new ArrayList<>();
    String base = "/admin/tenants/" + tenantId + "/audit?limit=1000&from=" + from + "&to=" + to;
    String token = null;
    do {
      String path = token == null ? base : base + "&page_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
      JsonNode page = call(node, "GET", path, null, 200);
      page.get("data").forEach(out::add);
      token = page.path("has_more").asBoolean() ? page.get("next_page_token").asText() : null;
    } while (token != null);
    return out;
  }

  /** {@code GET /admin/cluster/budget-entity/{tenant}} of that node: where the tenant's budget entity runs. */
  public JsonNode budgetEntity(String node, String tenantId) {
    return call(node, "GET", "/admin/cluster/budget-entity/" + tenantId, null, 200);
  }

  /** {@code GET /v1/models} with an API key: 200 once that node knows the key. */
  public int models(String node, String secret) {
    return send(HttpRequest.newBuilder(URI.create(node + "/v1/models"))
        .timeout(TIMEOUT).header("authorization", "Bearer " + secret).GET().build()).statusCode();
  }

  /** An admin call that must answer {@code expected}; its JSON body. */
  protected JsonNode call(String node, String method, String path, String body, int expected) {
    HttpResponse<String> response = raw(node, method, path, body);
    if (response.statusCode() != expected) {
      throw new IllegalStateException(method + " " + path + " on " + node + " answered " + response.statusCode()
          + ": " + response.body());
    }
    return json(response.body());
  }

  protected HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static JsonNode json(String body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("not JSON: " + body, e);
    }
  }
}
