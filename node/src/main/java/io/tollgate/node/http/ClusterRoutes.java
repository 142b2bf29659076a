package io.tollgate.node.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.budget.TenantBudget;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.Json;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Cluster facts for operators and crash tests, for the global admin token only:
 * {@code GET /admin/cluster/budget-entity/{tenant}} answers whether this node hosts the tenant's
 * {@link TenantBudget} entity right now ({@code {"hosted_here": true|false, "node": "<address>"}},
 * {@code node} being this node's cluster address). It only looks at this node's shard region, so it
 * never starts the entity; ask every node to find the host.
 */
public final class ClusterRoutes extends AllDirectives {
  private final ActorSystem<?> system;
  private final GlobalAdminToken adminToken;
  private final Duration askTimeout;

  public ClusterRoutes(ActorSystem<?> system, String adminToken, Duration askTimeout) {
    this.system = system;
    this.adminToken = new GlobalAdminToken(adminToken);
    this.askTimeout = askTimeout;
  }

  public Route routes() {
    return pathPrefix("admin", () -> pathPrefix("cluster", () ->
        path(PathMatchers.segment("budget-entity").slash(PathMatchers.segment()), tenant ->
            get(() -> admin(() -> budgetEntity(tenant))))));
  }

  private Route budgetEntity(String tenant) {
    CompletionStage<ShardRegion.CurrentShardRegionState> state = AskPattern.ask(
        ClusterSharding.get(system).shardState(),
        replyTo -> new GetShardRegionState(TenantBudget.ENTITY_KEY, replyTo),
        askTimeout, system.scheduler());
    return onComplete(state, outcome -> {
      if (outcome.isFailure()) {
        return complete(ErrorResponses.of(ClientApi.OPENAI, new GatewayException(ErrorKind.UNAVAILABLE,
            "The shard region did not answer in time; try again.")));
      }
      boolean hosted = outcome.get().getShards().stream().anyMatch(s -> s.getEntityIds().contains(tenant));
      ObjectNode body = JsonNodeFactory.instance.objectNode()
          .put("object", "cluster.budget_entity")
          .put("tenant_id", tenant)
          .put("hosted_here", hosted)
          .put("node", Cluster.get(system).selfMember().address().toString());
      return complete(HttpResponse.create().withStatus(StatusCodes.OK)
          .withEntity(ContentTypes.APPLICATION_JSON, Json.bytes(body)));
    });
  }

  private Route admin(Supplier<Route> inner) {
    return extractRequest(request -> {
      Optional<GatewayException> denied = adminToken.refusal(request);
      if (denied.isPresent()) {
        request.discardEntityBytes(system);
        return complete(ErrorResponses.of(ClientApi.OPENAI, denied.get()));
      }
      return inner.get();
    });
  }
}
