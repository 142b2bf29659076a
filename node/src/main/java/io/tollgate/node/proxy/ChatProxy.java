package io.tollgate.node.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.budget.DemandEstimator;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.persistence.budget.Demand;
import io.tollgate.protocol.translate.ChatTranslator;
import io.tollgate.protocol.translate.Translators;
import io.tollgate.protocol.provider.UpstreamRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** One chat call (either client API) to the provider behind a model, streamed or whole. */
public final class ChatProxy {
  private final ProviderClient client;
  private final Admitter admitter;
  private final WholeAnswer whole;
  private final StreamRelay stream;

  ChatProxy(ProviderClient client, Admitter admitter, WholeAnswer whole, StreamRelay stream) {
    this.client = client;
    this.admitter = admitter;
    this.whole = whole;
    this.stream = stream;
  }

  /**
   * Translates the call, reserves its worst case against the caller's budgets, then sends it. Bad
   * input fails the returned stage with a {@link io.tollgate.protocol.GatewayException} and a
   * refused budget with a {@link io.tollgate.node.budget.BudgetRejection}, both before anything is
   * sent; every call that reached the provider is recorded (and settled) here.
   */
  public CompletionStage<HttpResponse> call(CallContext ctx, String model, JsonNode body, ModelRoute route) {
    ChatTranslator translator = Translators.chat(ctx.api(), route.endpoint().schema());
    UpstreamRequest upstream = translator.toUpstream(body, route.upstreamModel(), route.endpoint());
    Demand worstCase = DemandEstimator.chat(translator.request(), route.price());
    return admitter.admit(ctx, worstCase).thenCompose(admitted -> client.send(upstream)).thenCompose(response -> {
      if (translator.clientStreams() && response.status().isSuccess()) {
        return CompletableFuture.completedFuture(stream.relay(ctx, model, route, translator, response));
      }
      return whole.relay(ctx, model, route, response, translator::fromUpstream);
    });
  }
}
