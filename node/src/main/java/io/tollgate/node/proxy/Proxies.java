package io.tollgate.node.proxy;

import io.tollgate.node.NodeSettings;
import io.tollgate.node.audit.CallRecorder;
import io.tollgate.node.budget.LeaseBook;
import io.tollgate.node.budget.ReservationSettings;
import io.tollgate.node.circuit.CircuitBook;
import io.tollgate.node.metrics.GatewayMetrics;
import io.tollgate.node.routing.LatencyBook;
import io.tollgate.node.routing.ProviderQuotas;
import io.tollgate.node.routing.Router;
import io.tollgate.node.cache.PartitionClient;
import io.tollgate.persistence.tenantadmin.TenantCachePolicyStore;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.Materializer;

/** Builds the proxies that share one provider client, one recorder and one view of the deployments' health. */
public record Proxies(ChatProxy chat, EmbeddingsProxy embeddings) {

  /** Largest provider answer read whole (non-streamed); larger answers fail as upstream errors. */
  private static final long MAX_ANSWER_BYTES = 64L * 1024 * 1024;

  /** What routing needs on this node: the router and what it reads (circuits, latencies, provider quotas). */
  public record Routing(Router router, CircuitBook circuits, LatencyBook latency, ProviderQuotas quotas) {}

  /** The response cache on this node: its policies and the partition entities. */
  public record Cache(TenantCachePolicyStore policies, PartitionClient partitions) {}

  public static Proxies create(
      ActorSystem<?> system, NodeSettings settings, CallRecorder recorder, GatewayMetrics metrics, LeaseBook leases,
      Routing routing, Cache cache) {
    Materializer materializer = Materializer.matFromSystem(system);
    Admitter admitter = new Admitter(leases, metrics, recorder);
    ProviderClient client = new ProviderClient(system, settings.upstreamResponseTimeout());
    ReservationOverruns overruns = new ReservationOverruns(metrics);
    WholeAnswer whole = new WholeAnswer(
        recorder, materializer, settings.requestTimeout().toMillis(), MAX_ANSWER_BYTES, overruns);
    DeploymentFeedback feedback = new DeploymentFeedback(routing.circuits(), routing.latency(), routing.quotas(), metrics);
    Attempts attempts = new Attempts(whole, feedback);
    Failover failover = new Failover(routing.router(), routing.circuits(), RoutingSettings.from(system.settings().config()),
        system, TenantShares.from(system.settings().config(), metrics));
    StreamRelay stream = new StreamRelay(
        recorder, metrics, settings.upstreamIdleTimeout(), materializer, feedback, overruns,
        StreamRelay.subscriptionTimeout(system.settings().config()));
    WholeAnswerFromStream wholeFromStream =
        system.settings().config().getBoolean("tollgate.upstream.whole-answers-as-streams")
            ? new WholeAnswerFromStream(whole, feedback, materializer, settings.upstreamIdleTimeout(), MAX_ANSWER_BYTES)
            : null;
    return new Proxies(
        new ChatProxy(client, admitter, failover, attempts, stream, wholeFromStream,
            ReservationSettings.from(system.settings().config()),
            new CacheStage(cache.partitions(), cache.policies(), admitter, recorder, metrics)),
        new EmbeddingsProxy(client, admitter, failover, attempts));
  }
}
