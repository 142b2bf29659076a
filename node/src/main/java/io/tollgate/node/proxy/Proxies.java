package io.tollgate.node.proxy;

import io.tollgate.node.NodeSettings;
import io.tollgate.node.audit.CallRecorder;
import io.tollgate.node.budget.LeaseBook;
import io.tollgate.node.metrics.GatewayMetrics;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.Materializer;

/** Builds the proxies that share one provider client and one recorder. */
public record Proxies(ChatProxy chat, EmbeddingsProxy embeddings) {

  /** Largest provider answer read whole (non-streamed); larger answers fail as upstream errors. */
  private static final long MAX_ANSWER_BYTES = 64L * 1024 * 1024;

  public static Proxies create(
      ActorSystem<?> system, NodeSettings settings, CallRecorder recorder, GatewayMetrics metrics, LeaseBook leases) {
    Admitter admitter = new Admitter(leases, metrics);
    ProviderClient client = new ProviderClient(system, settings.upstreamResponseTimeout());
    WholeAnswer whole = new WholeAnswer(
        recorder, Materializer.matFromSystem(system), settings.requestTimeout().toMillis(), MAX_ANSWER_BYTES);
    return new Proxies(
        new ChatProxy(client, admitter, whole, new StreamRelay(recorder, metrics, settings.upstreamIdleTimeout())),
        new EmbeddingsProxy(client, admitter, whole));
  }
}
