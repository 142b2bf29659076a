package io.tollgate.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.node.http.audit.AdminAuth;
import io.tollgate.persistence.tenantadmin.AdminTokenStore;
import io.tollgate.persistence.tenantadmin.TenantCachePolicy;
import io.tollgate.persistence.tenantadmin.TenantCachePolicyStore;
import io.tollgate.protocol.GatewayException;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API of a tenant's response cache policy, {@code GET|PUT /admin/tenants/{tenant}/cache},
 * for the global admin token and the tenant's own admin tokens. The body (and the answer, with
 * {@code tenant_id} and {@code updated_at}):
 *
 * <pre>{"mode": "off|exact|semantic", "ttl_seconds": 3600, "similarity_threshold": 0.95, "cache_tool_calls": false}</pre>
 *
 * A PUT replaces the policy; fields left out take their defaults. {@code semantic} is accepted and
 * served as exact for now. Errors use the OpenAI error shape.
 */
public final class CachePolicyRoutes extends AdminDirectives {
  private static final Logger log = LoggerFactory.getLogger(CachePolicyRoutes.class);
  /** Thirty days: a longer-lived answer is more likely stale than useful. */
  static final int MAX_TTL_SECONDS = 30 * 24 * 3600;
  private static final Set<String> FIELDS = Set.of("mode", "ttl_seconds", "similarity_threshold", "cache_tool_calls");

  private final AdminAuth auth;
  private final TenantCachePolicyStore store;
  private final BodyReader bodies;

  public CachePolicyRoutes(
      ActorSystem<?> system, String adminToken, AdminTokenStore tokens, TenantCachePolicyStore store, BodyReader bodies) {
    super(system, adminToken);
    this.auth = new AdminAuth(adminToken == null ? "" : adminToken, tokens);
    this.store = store;
    this.bodies = bodies;
  }

  public Route routes() {
    return pathPrefix("admin", () -> pathPrefix("tenants", () -> pathPrefix(PathMatchers.segment(), tenant ->
        path("cache", () -> concat(
            get(() -> tenantAdmin(auth, tenant, false, caller -> answer(store.get(tenant)))),
            put(() -> tenantAdmin(auth, tenant, false,
                caller -> withBody(bodies, body -> answer(store.update(parse(tenant, body)))))))))));
  }

  /** The policy the body asks for; a 400 {@link GatewayException} naming the field when it is wrong. */
  static TenantCachePolicy parse(String tenant, JsonNode body) {
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw GatewayException.invalid(name, "Unknown field '" + (name.length() <= 64 ? name : name.substring(0, 64))
            + "'; a cache policy has mode, ttl_seconds, similarity_threshold and cache_tool_calls.");
      }
    }
    JsonNode mode = body.get("mode");
    if (mode == null || !mode.isTextual() || TenantCachePolicy.Mode.parse(mode.asText()).isEmpty()) {
      throw GatewayException.invalid("mode", "'mode' must be \"off\", \"exact\" or \"semantic\".");
    }
    int ttl = TenantCachePolicy.DEFAULT_TTL_SECONDS;
    JsonNode ttlNode = body.get("ttl_seconds");
    if (ttlNode != null && !ttlNode.isNull()) {
      if (!ttlNode.canConvertToInt() || !ttlNode.isIntegralNumber() || ttlNode.asInt() < 1
          || ttlNode.asInt() > MAX_TTL_SECONDS) {
        throw GatewayException.invalid("ttl_seconds", "'ttl_seconds' must be a whole number from 1 to " + MAX_TTL_SECONDS + ".");
      }
      ttl = ttlNode.asInt();
    }
    double threshold = TenantCachePolicy.DEFAULT_SIMILARITY_THRESHOLD;
    JsonNode t = body.get("similarity_threshold");
    if (t != null && !t.isNull()) {
      // a tenant may make semantic hits stricter than the default, never looser
      if (!t.isNumber() || t.asDouble() < TenantCachePolicy.DEFAULT_SIMILARITY_THRESHOLD || t.asDouble() > 1.0) {
        throw GatewayException.invalid("similarity_threshold", "'similarity_threshold' must be a number from "
            + TenantCachePolicy.DEFAULT_SIMILARITY_THRESHOLD + " to 1.");
      }
      threshold = t.asDouble();
    }
    boolean toolCalls = false;
    JsonNode tc = body.get("cache_tool_calls");
    if (tc != null && !tc.isNull()) {
      if (!tc.isBoolean()) {
        throw GatewayException.invalid("cache_tool_calls", "'cache_tool_calls' must be true or false.");
      }
      toolCalls = tc.asBoolean();
    }
    return new TenantCachePolicy(tenant, TenantCachePolicy.Mode.parse(mode.asText()).orElseThrow(), ttl, threshold,
        toolCalls, null);
  }

  static ObjectNode render(TenantCachePolicy p) {
    ObjectNode o = JsonNodeFactory.instance.objectNode().put("tenant_id", p.tenantId());
    o.put("mode", p.mode().wire());
    o.put("ttl_seconds", p.ttlSeconds());
    o.put("similarity_threshold", p.similarityThreshold());
    o.put("cache_tool_calls", p.cacheToolCalls());
    if (p.mode() == TenantCachePolicy.Mode.SEMANTIC) {
      o.put("served_as", "exact");
    }
    o.put("updated_at", p.updatedAt() == null ? null : p.updatedAt().toString());
    return o;
  }

  private Route answer(CompletionStage<TenantCachePolicy> result) {
    return whenDone(result, failure -> {
      log.warn("cache policy store failed: {}", ErrorResponses.unwrap(failure).getClass().getSimpleName());
      return unavailable("The cache policy store did not answer; try again.");
    }, policy -> complete(ok(render(policy))));
  }
}
