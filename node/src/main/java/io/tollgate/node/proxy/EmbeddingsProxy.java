package io.tollgate.node.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.budget.DemandEstimator;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.persistence.budget.Demand;
import io.tollgate.protocol.usage.TokenCounter;
import io.tollgate.protocol.translate.EmbeddingsTranslator;
import io.tollgate.protocol.translate.Translators;
import io.tollgate.protocol.provider.UpstreamRequest;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** One embeddings call to the provider behind a model. */
public final class EmbeddingsProxy {
  private final ProviderClient client;
  private final Admitter admitter;
  private final WholeAnswer whole;

  EmbeddingsProxy(ProviderClient client, Admitter admitter, WholeAnswer whole) {
    this.client = client;
    this.admitter = admitter;
    this.whole = whole;
  }

  public CompletionStage<HttpResponse> call(CallContext ctx, String model, JsonNode body, ModelRoute route) {
    EmbeddingsTranslator translator = Translators.embeddings(route.endpoint().schema());
    UpstreamRequest upstream = translator.toUpstream(body, route.upstreamModel(), route.endpoint());
    Demand worstCase = DemandEstimator.embeddings(TokenCounter.count(body.path("input").toString()), route.price());
    return admitter.admit(ctx, worstCase)
        .thenCompose(admitted -> client.send(upstream))
        .thenCompose(response -> whole.relay(ctx, model, route, response, translator::fromUpstream));
  }
}
