package io.tollgate.node.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.node.catalog.ModelCatalog;
import io.tollgate.node.catalog.ModelGroup;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.node.circuit.CircuitBook;
import io.tollgate.node.routing.Router;
import io.tollgate.node.routing.RoutingDecision;
import io.tollgate.node.routing.RoutingRequest;
import io.tollgate.node.routing.RoutingStrategy;
import io.tollgate.persistence.circuit.CircuitState;
import io.tollgate.persistence.tenantadmin.TenantRouting;
import io.tollgate.persistence.tenantadmin.TenantRoutingStore;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Routing for operators (global admin token):
 * <ul>
 *   <li>{@code GET /admin/circuits}: every deployment's circuit as this node sees it now;
 *   <li>{@code POST /admin/circuits/open?deployment=ID} ({@code {"seconds": 300, "reason": "..."}})
 *       and {@code POST /admin/circuits/close?deployment=ID}: take a deployment out of rotation or
 *       put it back, for the whole region;
 *   <li>{@code GET /admin/routing/explain?model=M[&tenant=T][&key=K][&strategy=S][&stream=true]}: the
 *       dry run — which deployments this node would try for that call now, in order, and why.
 * </ul>
 */
public final class RoutingRoutes extends AdminDirectives {
  /** Longest an operator may open a circuit for: beyond it the open-until instant is no longer meaningful. */
  private static final Duration MAX_FORCED_OPEN = Duration.ofDays(366);
  private static final long EXPLAIN_TOKENS = 1000;
  private final ModelCatalog catalog;
  private final Router router;
  private final CircuitBook circuits;
  private final TenantRoutingStore policies;
  private final BodyReader bodies;

  public RoutingRoutes(
      ActorSystem<?> system, String adminToken, ModelCatalog catalog, Router router, CircuitBook circuits,
      TenantRoutingStore policies, BodyReader bodies) {
    super(system, adminToken);
    this.catalog = catalog;
    this.router = router;
    this.circuits = circuits;
    this.policies = policies;
    this.bodies = bodies;
  }

  public Route routes() {
    Route list = get(() -> admin(() -> complete(ok(circuitsJson()))));
    Route open = post(() -> admin(() -> parameter("deployment", this::open)));
    Route close = post(() -> admin(() -> parameter("deployment", id -> known(id, () -> reply(circuits.forceClose(id))))));
    Route explain = get(() -> admin(() -> parameter("model", model -> parameterOptional("tenant", tenant ->
        parameterOptional("key", key -> parameterOptional("strategy", strategy -> parameterOptional("stream", stream ->
            explain(model, tenant, key, strategy, stream.map(Boolean::parseBoolean).orElse(false)))))))));
    return pathPrefix("admin", () -> concat(
        pathPrefix("circuits", () -> concat(
            pathEnd(() -> list),
            path("open", () -> open),
            path("close", () -> close))),
        path(segment("routing").slash("explain"), () -> explain)));
  }

  private ObjectNode circuitsJson() {
    Instant now = Instant.now();
    Map<String, CircuitState> states = new LinkedHashMap<>();
    circuits.states().forEach(s -> states.put(s.deploymentId(), s));
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("object", "list");
    root.put("node_region", router.nodeRegion());
    ArrayNode data = root.putArray("data");
    for (ModelRoute d : catalog.deployments()) {
      CircuitState s = states.remove(d.deploymentId());
      ObjectNode entry = stateJson(data.addObject(), d.deploymentId(), s, now);
      entry.put("provider", d.endpoint().name());
      entry.put("upstream_model", d.upstreamModel());
      entry.put("region", d.region().isEmpty() ? "global" : d.region());
      ArrayNode models = entry.putArray("models");
      catalog.all().stream()
          .filter(g -> g.deployments().stream().anyMatch(x -> x.deploymentId().equals(d.deploymentId())))
          .forEach(g -> models.add(g.logicalModel()));
    }
    states.forEach((id, s) -> stateJson(data.addObject(), id, s, now));
    return root;
  }

  private ObjectNode stateJson(ObjectNode entry, String deploymentId, CircuitState s, Instant now) {
    entry.put("deployment", deploymentId);
    entry.put("phase", circuits.phase(deploymentId).name().toLowerCase(java.util.Locale.ROOT));
    if (s != null) {
      entry.put("open_until", s.openUntil() == null ? null : s.openUntil().toString());
      entry.put("reason", s.reason());
      entry.put("opens", s.opens());
      entry.put("changed_at", s.changedAt() == null ? null : s.changedAt().toString());
      entry.put("version", s.version());
    }
    return entry;
  }

  private Route open(String deploymentId) {
    return known(deploymentId, () -> withOptionalBody(bodies, body -> {
      JsonNode seconds = body.path("seconds");
      if (!seconds.isMissingNode() && (!seconds.isIntegralNumber() || !seconds.canConvertToLong()
          || seconds.asLong() <= 0 || seconds.asLong() > MAX_FORCED_OPEN.toSeconds())) {
        throw GatewayException.invalid("seconds",
            "'seconds' must be a whole number from 1 to " + MAX_FORCED_OPEN.toSeconds() + " (a year).");
      }
      Duration length = Duration.ofSeconds(seconds.isMissingNode() ? 300 : seconds.asLong());
      return reply(circuits.forceOpen(deploymentId, length, body.path("reason").asText("opened by an operator")));
    }));
  }

  private Route explain(String model, Optional<String> tenant, Optional<String> key, Optional<String> strategyName,
      boolean stream) {
    Optional<ModelGroup> group = catalog.group(model);
    if (group.isEmpty()) {
      return error(new GatewayException(ErrorKind.NOT_FOUND,
          "The model '" + model + "' does not exist or is not enabled on this gateway.", "model", "model_not_found"));
    }
    Optional<RoutingStrategy> strategy = strategyName.flatMap(RoutingStrategy::parse);
    if (strategyName.isPresent() && strategy.isEmpty()) {
      return error(GatewayException.invalid("strategy",
          "Unknown strategy '" + strategyName.get() + "': use priority, weighted, least-latency or lowest-cost."));
    }
    CompletionStage<TenantRouting> policy = tenant.isPresent()
        ? policies.get(tenant.get())
        : CompletableFuture.completedFuture(null);
    return whenDone(policy, "The tenant's routing policy could not be read; try again.", p -> {
      boolean strategyAllowed = strategy.isEmpty() || key.isEmpty() || p == null || p.keyMayChooseStrategy(key.get());
      RoutingDecision decision = router.route(group.get(),
          new RoutingRequest(strategyAllowed ? strategy.orElse(null) : null, stream, EXPLAIN_TOKENS, EXPLAIN_TOKENS, p));
      ObjectNode body = decision.toJson();
      body.put("object", "routing.decision");
      body.put("node_region", router.nodeRegion());
      tenant.ifPresent(t -> body.put("tenant_id", t));
      if (strategy.isPresent() && key.isPresent()) {
        body.put("key_may_choose_strategy", strategyAllowed);
      }
      return complete(ok(body));
    });
  }

  private Route known(String deploymentId, Supplier<Route> inner) {
    boolean known = catalog.deployments().stream().anyMatch(d -> d.deploymentId().equals(deploymentId));
    if (!known) {
      return error(new GatewayException(ErrorKind.NOT_FOUND,
          "No deployment '" + deploymentId + "' in the model catalogue.", "deployment", "deployment_not_found"));
    }
    return inner.get();
  }

  private Route reply(CompletionStage<CircuitState> state) {
    return whenDone(state, "The circuit did not answer in time; try again.",
        s -> complete(ok(stateJson(Json.MAPPER.createObjectNode(), s.deploymentId(), s, Instant.now()))));
  }
}
