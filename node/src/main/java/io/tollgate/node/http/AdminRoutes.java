package io.tollgate.node.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.node.http.audit.AuditParams;
import io.tollgate.persistence.registry.CreatedKey;
import io.tollgate.persistence.registry.KeyAdmin;
import io.tollgate.persistence.registry.KeyInfo;
import io.tollgate.persistence.registry.KeyPage;
import io.tollgate.persistence.registry.KeyRefused;
import io.tollgate.persistence.registry.KeyRegistry;
import io.tollgate.persistence.registry.TenantInfo;
import io.tollgate.persistence.registry.TenantPage;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.StatusReply;

/**
 * The admin API under {@code /admin}, guarded by the admin token: tenants, keys (the secret is
 * returned once, at creation; a key may belong to a team, whose budgets then apply to it), key
 * listing in pages ({@code limit}, {@code page_token}) and revocation. Keys are read and written
 * through {@link KeyAdmin} on whichever node is asked. Audit and usage queries live in {@link AuditRoutes}, budgets in {@link BudgetRoutes}.
 * Errors use the OpenAI error shape. With no admin token configured the admin API answers 404.
 */
public final class AdminRoutes extends AdminDirectives {
  private static final Pattern TEAM = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  /** Keys per page when the caller gives no {@code limit}, and the most it may ask for. */
  static final int KEYS_PER_PAGE = 1000;
  /** Tenants per page when the caller gives no {@code limit}, and the most it may ask for. */
  static final int TENANTS_PER_PAGE = 1000;
  private final ActorSystem<?> system;
  private final Duration askTimeout;
  private final BodyReader bodies;
  private final KeyAdmin keys;

  public AdminRoutes(ActorSystem<?> system, String adminToken, Duration askTimeout, BodyReader bodies, KeyAdmin keys) {
    super(system, adminToken);
    this.system = system;
    this.askTimeout = askTimeout;
    this.bodies = bodies;
    this.keys = keys;
  }

  public Route routes() {
    // The guard sits inside each matched path and method: guarding the whole /admin prefix would
    // answer 401 to a tenant admin token before the routes it may use (routing policy, audit) are reached.
    return pathPrefix("admin", () -> concat(
        path("tenants", () -> concat(
            post(() -> admin(() -> withBody(bodies, this::createTenant))),
            get(() -> admin(() -> parameterMap(this::listTenants))))),
        pathPrefix(segment("tenants").slash(PathMatchers.segment()), tenantId -> concat(
            path("keys", () -> concat(
                post(() -> admin(() -> withBody(bodies, body -> createKey(tenantId, body)))),
                get(() -> admin(() -> parameterMap(q -> listKeys(tenantId, q)))))),
            path(segment("keys").slash(PathMatchers.segment()).slash("revoke"), keyId ->
                post(() -> admin(() -> revoke(tenantId, keyId)))),
            path(segment("keys").slash(PathMatchers.segment()), keyId ->
                delete(() -> admin(() -> revoke(tenantId, keyId))))))));
  }

  private Route createTenant(JsonNode body) {
    String tenantId = requiredText(body, "tenant_id");
    String name = body.path("name").asText(tenantId);
    return reply(ask(r -> new KeyRegistry.CreateTenant(tenantId, name, r)), this::tenantJson, StatusCodes.CREATED);
  }

  private Route createKey(String tenantId, JsonNode body) {
    String name = body.path("name").asText("default");
    List<String> allowed = new ArrayList<>();
    JsonNode models = body.path("allowed_models");
    if (!models.isMissingNode() && !models.isNull()) {
      if (!models.isArray()) {
        throw GatewayException.invalid("allowed_models", "'allowed_models' must be an array of model names.");
      }
      models.forEach(m -> allowed.add(m.asText()));
    }
    String team = team(body);
    return reply(keys.create(tenantId, name, allowed, null, team), this::createdKeyJson, StatusCodes.CREATED);
  }

  /** A page of tenants, by id; {@code next_page_token} is the last id of the page, opaque to callers. */
  private Route listTenants(Map<String, String> q) {
    int limit;
    String after;
    try {
      limit = AuditParams.limit(q, TENANTS_PER_PAGE, TENANTS_PER_PAGE);
      after = TenantPageToken.parse(q.get("page_token"));
    } catch (GatewayException e) {
      return error(e);
    }
    return reply(ask(r -> new KeyRegistry.ListTenantsPage(after, limit, r)), this::tenantsJson, StatusCodes.OK);
  }

  private Route listKeys(String tenantId, Map<String, String> q) {
    int limit;
    KeyPage.Cursor after;
    try {
      limit = AuditParams.limit(q, KEYS_PER_PAGE, KEYS_PER_PAGE);
      String token = q.get("page_token");
      after = token == null || token.isBlank() ? null : KeyPage.Cursor.parse(token.trim())
          .orElseThrow(() -> GatewayException.invalid("page_token", "'page_token' is not a token this API gave out."));
    } catch (GatewayException e) {
      return error(e);
    }
    return reply(keys.list(tenantId, after, limit), this::keysJson, StatusCodes.OK);
  }

  /** The optional {@code team} of a new key: its team budgets and rate limits apply to it. */
  private static String team(JsonNode body) {
    JsonNode team = body.get("team");
    if (team == null || team.isNull()) {
      return null;
    }
    if (!team.isTextual() || !TEAM.matcher(team.asText()).matches()) {
      throw GatewayException.invalid("team",
          "'team' must be 1 to 63 lowercase letters, digits or '-', starting with a letter or digit.");
    }
    return team.asText();
  }

  private Route revoke(String tenantId, String keyId) {
    return reply(keys.revoke(tenantId, keyId), this::keyJson, StatusCodes.OK);
  }

  private <T> CompletionStage<T> ask(Function<org.apache.pekko.actor.typed.ActorRef<StatusReply<T>>, KeyRegistry.Command> message) {
    return KeyRegistry.ref(system).askWithStatus(message::apply, askTimeout);
  }

  private <T> Route reply(CompletionStage<T> result, Function<T, JsonNode> render, org.apache.pekko.http.javadsl.model.StatusCode status) {
    return whenDone(result, AdminRoutes::registryFailure, value -> complete(json(status, render.apply(value))));
  }

  private static GatewayException registryFailure(Throwable failure) {
    Throwable cause = ErrorResponses.unwrap(failure);
    if (cause instanceof KeyRefused refused) {
      return refusal(refused.getMessage());
    }
    return cause instanceof StatusReply.ErrorMessage refused
        ? refusal(refused.getMessage())
        : unavailable("The registry did not answer in time; try again.");
  }

  private static GatewayException refusal(String message) {
    String m = message.toLowerCase(java.util.Locale.ROOT);
    if (m.contains("exists")) {
      return new GatewayException(ErrorKind.INVALID_REQUEST, message, null, "conflict");
    }
    if (m.contains("unknown") || m.contains("not found") || m.contains("no such")) {
      return new GatewayException(ErrorKind.NOT_FOUND, message);
    }
    return new GatewayException(ErrorKind.INVALID_REQUEST, message);
  }

  private static String requiredText(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw GatewayException.invalid(field, "'" + field + "' is required and must be a string.");
    }
    return v.asText();
  }

  private JsonNode tenantJson(TenantInfo t) {
    return JsonNodeFactory.instance.objectNode().put("tenant_id", t.tenantId()).put("name", t.name())
        .put("created_at", t.createdAt().toString());
  }

  private JsonNode tenantsJson(TenantPage page) {
    ArrayNode data = JsonNodeFactory.instance.arrayNode();
    page.tenants().forEach(t -> data.add(tenantJson(t)));
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.set("data", data);
    out.put("has_more", page.hasMore());
    out.put("next_page_token", page.hasMore() ? TenantPageToken.of(page.lastTenantId()) : null);
    return out;
  }

  private JsonNode keyJson(KeyInfo k) {
    ObjectNode o = JsonNodeFactory.instance.objectNode()
        .put("key_id", k.keyId()).put("tenant_id", k.tenantId()).put("name", k.name())
        .put("revoked", k.revoked()).put("created_at", k.createdAt().toString())
        .put("revoked_at", k.revokedAt() == null ? null : k.revokedAt().toString())
        .put("team", k.team());
    ArrayNode models = o.putArray("allowed_models");
    k.allowedModels().forEach(models::add);
    return o;
  }

  private JsonNode keysJson(KeyPage page) {
    ArrayNode data = JsonNodeFactory.instance.arrayNode();
    page.keys().forEach(k -> data.add(keyJson(k)));
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.set("data", data);
    o.put("has_more", page.next() != null);
    o.put("next_page_token", page.next() == null ? null : page.next().token());
    return o;
  }

  private JsonNode createdKeyJson(CreatedKey created) {
    ObjectNode o = (ObjectNode) keyJson(created.info());
    o.put("key", created.secret());
    return o;
  }
}
