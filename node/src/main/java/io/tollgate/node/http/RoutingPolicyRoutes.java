package io.tollgate.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.node.http.audit.AdminAuth;
import io.tollgate.persistence.tenantadmin.AdminTokenStore;
import io.tollgate.persistence.tenantadmin.TenantRouting;
import io.tollgate.persistence.tenantadmin.TenantRoutingStore;
import io.tollgate.protocol.GatewayException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.function.BiPredicate;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API of a tenant's routing policy, {@code GET|PUT /admin/tenants/{tenant}/routing},
 * for the global admin token and the tenant's own admin tokens ({@code tga_...}). The body (and
 * the answer, with {@code tenant_id} and {@code updated_at}):
 *
 * <pre>{"allowed_deployments": {"model": ["deployment-id", ...]},
 *  "pinned": {"model": "deployment-id"},
 *  "strategy_keys": ["key-id" | "*"]}</pre>
 *
 * A PUT replaces the whole policy; a field left out is empty (a model not named in
 * {@code allowed_deployments} may use all its deployments). Every model and deployment must be in
 * the catalogue, else 400. Errors use the OpenAI error shape; with no admin token configured: 404.
 */
public final class RoutingPolicyRoutes extends AdminDirectives {
  private static final Logger log = LoggerFactory.getLogger(RoutingPolicyRoutes.class);
  private static final long MAX_BODY_BYTES = 64 * 1024;
  private static final int MAX_MODELS = 500;
  private static final int MAX_DEPLOYMENTS = 100;
  private static final int MAX_KEYS = 1000;
  private static final int MAX_ID_CHARS = 200;
  private static final Set<String> FIELDS = Set.of("allowed_deployments", "pinned", "strategy_keys");

  private final AdminAuth auth;
  private final TenantRoutingStore store;
  private final BiPredicate<String, String> knownDeployment;
  private final BodyReader bodies;

  /**
   * @param knownDeployment whether the catalogue's model (first argument) has the deployment
   *     (second argument); false for an unknown model
   */
  public RoutingPolicyRoutes(ActorSystem<?> system, String adminToken, AdminTokenStore tokens, TenantRoutingStore store,
      BiPredicate<String, String> knownDeployment) {
    super(system, adminToken);
    this.auth = new AdminAuth(adminToken == null ? "" : adminToken, tokens);
    this.store = store;
    this.knownDeployment = knownDeployment;
    this.bodies = new BodyReader(MAX_BODY_BYTES, Materializer.matFromSystem(system));
  }

  public Route routes() {
    return pathPrefix("admin", () -> pathPrefix("tenants", () -> pathPrefix(PathMatchers.segment(), tenant ->
        path("routing", () -> concat(
            get(() -> tenantAdmin(auth, tenant, false, caller -> policy(tenant))),
            put(() -> tenantAdmin(auth, tenant, false, caller -> withBody(bodies, body -> replace(tenant, body)))))))));
  }

  private Route policy(String tenant) {
    return answer(store.get(tenant));
  }

  private Route replace(String tenant, JsonNode body) {
    return answer(store.update(parse(tenant, body)));
  }

  // --- the body -------------------------------------------------------------------------------

  /** The policy the body asks for; a 400 {@link GatewayException} naming the field when it is wrong. */
  TenantRouting parse(String tenant, JsonNode body) {
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw GatewayException.invalid(name, "Unknown field '" + name
            + "'; a routing policy has allowed_deployments, pinned and strategy_keys.");
      }
    }
    Map<String, List<String>> allowed = allowedDeployments(body.get("allowed_deployments"));
    Map<String, String> pinned = pinned(body.get("pinned"));
    pinned.forEach((model, deployment) -> {
      List<String> permitted = allowed.get(model);
      if (permitted != null && !permitted.contains(deployment)) {
        throw GatewayException.invalid("pinned", "Model '" + model + "' is pinned to '" + deployment
            + "', which its allowed_deployments do not include.");
      }
    });
    return new TenantRouting(tenant, allowed, pinned, strategyKeys(body.get("strategy_keys")), null);
  }

  private Map<String, List<String>> allowedDeployments(JsonNode node) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (absent(node)) {
      return out;
    }
    if (!node.isObject() || node.size() > MAX_MODELS) {
      throw GatewayException.invalid("allowed_deployments", "'allowed_deployments' must be an object of at most "
          + MAX_MODELS + " models, each mapped to a list of deployment ids.");
    }
    node.properties().forEach(e -> {
      String model = e.getKey();
      JsonNode list = e.getValue();
      if (!list.isArray() || list.isEmpty() || list.size() > MAX_DEPLOYMENTS) {
        throw GatewayException.invalid("allowed_deployments", "allowed_deployments of model '" + model
            + "' must be a list of 1 to " + MAX_DEPLOYMENTS + " deployment ids (leave the model out to allow all).");
      }
      Set<String> ids = new LinkedHashSet<>();
      for (JsonNode id : list) {
        ids.add(knownDeploymentId("allowed_deployments", model, id));
      }
      out.put(model, new ArrayList<>(ids));
    });
    return out;
  }

  private Map<String, String> pinned(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (absent(node)) {
      return out;
    }
    if (!node.isObject() || node.size() > MAX_MODELS) {
      throw GatewayException.invalid("pinned", "'pinned' must be an object of at most " + MAX_MODELS
          + " models, each mapped to one deployment id.");
    }
    node.properties().forEach(e -> out.put(e.getKey(), knownDeploymentId("pinned", e.getKey(), e.getValue())));
    return out;
  }

  private String knownDeploymentId(String field, String model, JsonNode id) {
    if (!id.isTextual() || id.asText().isBlank() || id.asText().length() > MAX_ID_CHARS) {
      throw GatewayException.invalid(field, field + " of model '" + clip(model)
          + "' must name deployments by their id (a non-empty string).");
    }
    String deployment = id.asText();
    if (!knownDeployment.test(model, deployment)) {
      throw GatewayException.invalid(field, "Unknown model or deployment in " + field + ": model '" + clip(model)
          + "' has no deployment '" + clip(deployment) + "'.");
    }
    return deployment;
  }

  private static List<String> strategyKeys(JsonNode node) {
    if (absent(node)) {
      return List.of();
    }
    if (!node.isArray() || node.size() > MAX_KEYS) {
      throw GatewayException.invalid("strategy_keys", "'strategy_keys' must be a list of at most " + MAX_KEYS
          + " key ids, or [\"*\"] for every key of the tenant.");
    }
    Set<String> keys = new LinkedHashSet<>();
    for (JsonNode k : node) {
      if (!k.isTextual() || k.asText().isBlank() || k.asText().length() > MAX_ID_CHARS) {
        throw GatewayException.invalid("strategy_keys", "'strategy_keys' must hold key ids (non-empty strings) or \"*\".");
      }
      keys.add(k.asText());
    }
    return new ArrayList<>(keys);
  }

  private static boolean absent(JsonNode node) {
    return node == null || node.isNull();
  }

  /** Names echoed in an error are the caller's own input; keep them short. */
  private static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }

  static ObjectNode render(TenantRouting r) {
    ObjectNode o = JsonNodeFactory.instance.objectNode().put("tenant_id", r.tenantId());
    ObjectNode allowed = o.putObject("allowed_deployments");
    new TreeMap<>(r.allowedDeployments()).forEach((model, ids) -> ids.forEach(allowed.putArray(model)::add));
    ObjectNode pinned = o.putObject("pinned");
    new TreeMap<>(r.pinned()).forEach(pinned::put);
    r.strategyKeys().forEach(o.putArray("strategy_keys")::add);
    o.put("updated_at", r.updatedAt() == null ? null : r.updatedAt().toString());
    return o;
  }

  // --- plumbing -------------------------------------------------------------------------------

  /** 200 with the policy, or 503 when the store failed (logged without details). */
  private Route answer(CompletionStage<TenantRouting> result) {
    return whenDone(result, failure -> {
      log.warn("routing policy store failed: {}", ErrorResponses.unwrap(failure).getClass().getSimpleName());
      return unavailable("The routing policy store did not answer; try again.");
    }, policy -> complete(ok(render(policy))));
  }
}
