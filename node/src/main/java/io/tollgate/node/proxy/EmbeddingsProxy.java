package io.tollgate.node.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.budget.DemandEstimator;
import io.tollgate.node.catalog.ModelGroup;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.node.routing.RoutingDecision;
import io.tollgate.node.routing.RoutingRequest;
import io.tollgate.node.routing.RoutingStrategy;
import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.tenantadmin.TenantRouting;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.translate.EmbeddingsTranslator;
import io.tollgate.protocol.translate.Translators;
import io.tollgate.protocol.usage.TokenCounter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** One embeddings call to the deployments of a model group. */
public final class EmbeddingsProxy {
  private final ProviderClient client;
  private final Admitter admitter;
  private final Failover failover;
  private final Attempts attempts;

  EmbeddingsProxy(ProviderClient client, Admitter admitter, Failover failover, Attempts attempts) {
    this.client = client;
    this.admitter = admitter;
    this.failover = failover;
    this.attempts = attempts;
  }

  public CompletionStage<HttpResponse> call(
      CallContext ctx, String model, JsonNode body, ModelGroup group, RoutingStrategy strategy, TenantRouting policy) {
    ModelRoute lead = group.deployments().get(0);
    // validates the input before anything is reserved
    Translators.embeddings(lead.endpoint().schema()).toUpstream(body, lead.upstreamModel(), lead.endpoint());
    long promptTokens = TokenCounter.count(body.path("input").toString());
    Demand worstCase = DemandEstimator.dearest(group, route -> DemandEstimator.embeddings(promptTokens, route.price()));
    RoutingRequest routing = new RoutingRequest(strategy, false, promptTokens, 0, policy);
    RoutingDecision decision = failover.route(group, routing);
    if (decision.candidates().isEmpty()) {
      return failover.run(ctx, group, routing, decision, attempts.feedback(), route -> null);
    }
    return admitter.admit(ctx, group.logicalModel(), worstCase).thenCompose(admitted -> failover.run(ctx, group, routing, decision,
        attempts.feedback(), route -> attempt(ctx, model, body, route)));
  }

  private CompletionStage<AttemptOutcome> attempt(CallContext ctx, String model, JsonNode body, ModelRoute route) {
    EmbeddingsTranslator translator = Translators.embeddings(route.endpoint().schema());
    UpstreamRequest upstream;
    try {
      upstream = translator.toUpstream(body, route.upstreamModel(), route.endpoint());
    } catch (RuntimeException invalidHere) {
      attempts.feedback().neutral(route, 0);
      return CompletableFuture.failedFuture(invalidHere);
    }
    long start = System.nanoTime();
    return attempts.outcome(ctx, model, route, start, client.send(upstream), translator::fromUpstream, null);
  }
}
