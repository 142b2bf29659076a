package io.tollgate.node.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.budget.TenantBudget;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Cluster facts for operators and crash tests, for the global admin token only:
 * {@code GET /admin/cluster/budget-entity/{tenant}} answers whether this node hosts the tenant's
 * {@link TenantBudget} entity right now ({@code {"hosted_here": true|false, "node": "<address>"}},
 * {@code node} being this node's cluster address). It only looks at this node's shard region, so it
 * never starts the entity; ask every node to find the host.
 */
public final class ClusterRoutes extends AdminDirectives {
  private final ActorSystem<?> system;
  private final Duration askTimeout;

  public ClusterRoutes(ActorSystem<?> system, String adminToken, Duration askTimeout) {
    super(system, adminToken);
    this.system = system;
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
    return whenDone(state, "The shard region did not answer in time; try again.", regionState -> {
      boolean hosted = regionState.getShards().stream().anyMatch(s -> s.getEntityIds().contains(tenant));
      ObjectNode body = JsonNodeFactory.instance.objectNode()
          .put("object", "cluster.budget_entity")
          .put("tenant_id", tenant)
          .put("hosted_here", hosted)
          .put("node", Cluster.get(system).selfMember().address().toString());
      return complete(ok(body));
    });
  }
}
