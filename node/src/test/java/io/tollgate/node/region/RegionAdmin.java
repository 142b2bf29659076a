package io.tollgate.node.region;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.ClusterAdminHttp;
import io.tollgate.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The admin and chat calls the region tests make, against whichever node (URL) they name. */
final class RegionAdmin extends ClusterAdminHttp {

  RegionAdmin(HttpClient http) {
    super(http);
  }

  record Key(String keyId, String secret) {}

  /**
   * One chat call: its status, request id, error type (null on success), and the deployment and
   * region that served it with the provider attempts it took (null and 0 without an answer);
   * status 0 when no answer came.
   */
  record Chat(int status, String requestId, String errorType, String deployment, String region, int attempts) {
    boolean ok() {
      return status == 200;
    }
  }

  void createTenant(String node, String tenantId) {
    call(node, "POST", "/admin/tenants", "{\"tenant_id\":\"" + tenantId + "\",\"name\":\"Region " + tenantId + "\"}",
        201);
  }

  Key createKey(String node, String tenantId, String name) {
    JsonNode created = call(node, "POST", "/admin/tenants/" + tenantId + "/keys", "{\"name\":\"" + name + "\"}", 201);
    return new Key(created.get("key_id").asText(), created.get("key").asText());
  }

  void setLimits(String node, String tenantId, String body) {
    call(node, "PUT", "/admin/tenants/" + tenantId + "/limits", body, 200);
  }

  JsonNode spendLine(String node, String tenantId, String scope, String kind) {
    for (JsonNode line : spend(node, tenantId).get("data")) {
      if (scope.equals(line.get("scope").asText()) && kind.equals(line.get("kind").asText())) {
        return line;
      }
    }
    throw new IllegalStateException("no " + kind + " limit for " + scope + " in the spend of " + tenantId);
  }

  JsonNode spend(String node, String tenantId) {
    return call(node, "GET", "/admin/tenants/" + tenantId + "/spend", null, 200);
  }

  JsonNode reconcile(String node, String tenantId) {
    return call(node, "GET", "/admin/tenants/" + tenantId + "/reconcile?period=daily", null, 200);
  }

  JsonNode home(String node, String tenantId) {
    return call(node, "GET", "/admin/tenants/" + tenantId + "/home", null, 200);
  }

  JsonNode moveHome(String node, String tenantId, String region) {
    return call(node, "POST", "/admin/tenants/" + tenantId + "/home", "{\"region\":\"" + region + "\"}", 200);
  }

  /** The phase ({@code closed}, {@code open}, {@code half_open}) of a deployment's circuit as {@code node} sees it. */
  String circuitPhase(String node, String deploymentId) {
    for (JsonNode entry : call(node, "GET", "/admin/circuits", null, 200).get("data")) {
      if (deploymentId.equals(entry.get("deployment").asText())) {
        return entry.get("phase").asText();
      }
    }
    throw new IllegalStateException(node + " lists no circuit for " + deploymentId);
  }

  Chat chat(String node, String secret, String body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(node + "/v1/chat/completions"))
        .timeout(TIMEOUT)
        .header("authorization", "Bearer " + secret)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      String errorType = response.statusCode() == 200 ? null : errorType(response.body());
      return new Chat(response.statusCode(), response.headers().firstValue("x-request-id").orElse(null), errorType,
          response.headers().firstValue("x-tollgate-deployment").orElse(null),
          response.headers().firstValue("x-tollgate-region").orElse(null),
          response.headers().firstValue("x-tollgate-attempts").map(Integer::parseInt).orElse(0));
    } catch (IOException e) {
      return new Chat(0, null, null, null, null, 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The error type of an error body; the start of the body itself when it is not the JSON error shape. */
  private static String errorType(String body) {
    try {
      return Json.MAPPER.readTree(body).at("/error/type").asText(body);
    } catch (IOException e) {
      return body.length() > 80 ? body.substring(0, 80) : body;
    }
  }
}
