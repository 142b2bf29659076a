package io.tollgate.node.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.ClusterAdminHttp;
import java.net.http.HttpClient;
import java.time.Instant;

/** The admin API calls the chaos test makes, against whichever node it names. */
final class ChaosAdmin extends ClusterAdminHttp {

  ChaosAdmin(HttpClient http) {
    super(http);
  }

  record Key(String keyId, String secret) {}

  String createTenant(String node, String tenantId) {
    call(node, "POST", "/admin/tenants", "{\"tenant_id\":\"" + tenantId + "\",\"name\":\"Chaos " + tenantId + "\"}", 201);
    return tenantId;
  }

  Key createKey(String node, String tenantId, String name) {
    JsonNode created = call(node, "POST", "/admin/tenants/" + tenantId + "/keys", "{\"name\":\"" + name + "\"}", 201);
    return new Key(created.get("key_id").asText(), created.get("key").asText());
  }

  JsonNode setLimits(String node, String tenantId, String body) {
    return call(node, "PUT", "/admin/tenants/" + tenantId + "/limits", body, 200);
  }

  JsonNode spend(String node, String tenantId) {
    return call(node, "GET", "/admin/tenants/" + tenantId + "/spend", null, 200);
  }

  /** The spend line of the limit with this scope and kind. */
  JsonNode spendLine(String node, String tenantId, String scope, String kind) {
    for (JsonNode line : spend(node, tenantId).get("data")) {
      if (scope.equals(line.get("scope").asText()) && kind.equals(line.get("kind").asText())) {
        return line;
      }
    }
    throw new IllegalStateException("no " + kind + " limit for " + scope + " in the spend of " + tenantId);
  }

  JsonNode reconcile(String node, String tenantId, String period) {
    return call(node, "GET", "/admin/tenants/" + tenantId + "/reconcile?period=" + period, null, 200);
  }

  /** {@code GET reconcile} for every period, windows containing {@code at}. */
  JsonNode reconcileAll(String node, String tenantId, Instant at) {
    return call(node, "GET", "/admin/tenants/" + tenantId + "/reconcile?at=" + at, null, 200);
  }

  /** {@code GET reconcile?period=minute} for the minute containing {@code at}. */
  JsonNode reconcileMinute(String node, String tenantId, Instant at) {
    return call(node, "GET", "/admin/tenants/" + tenantId + "/reconcile?period=minute&at=" + at, null, 200);
  }

  /** {@code GET /admin/cluster/budget-entity/{tenant}} of that node; null when the node does not answer (dead). */
  JsonNode budgetEntityOrNull(String node, String tenantId) {
    try {
      return budgetEntity(node, tenantId);
    } catch (IllegalStateException unreachable) {
      if (unreachable.getCause() instanceof java.io.IOException) {
        return null;
      }
      throw unreachable;
    }
  }


}
