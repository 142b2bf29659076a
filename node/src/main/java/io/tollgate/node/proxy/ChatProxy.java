package io.tollgate.node.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.audit.CallRecorder;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.protocol.translate.ChatTranslator;
import io.tollgate.protocol.translate.Translators;
import io.tollgate.protocol.provider.UpstreamRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** One chat call (either client API) to the provider behind a model, streamed or whole. */
public final class ChatProxy {
  private final ProviderClient client;
  private final WholeAnswer whole;
  private final StreamRelay stream;

  ChatProxy(ProviderClient client, WholeAnswer whole, StreamRelay stream) {
    this.client = client;
    this.whole = whole;
    this.stream = stream;
  }

  /**
   * Translates and sends the call. Bad input fails the returned stage with a
   * {@link io.tollgate.protocol.GatewayException} before anything is sent; every call that reached
   * the provider is recorded here.
   */
  public CompletionStage<HttpResponse> call(CallContext ctx, String model, JsonNode body, ModelRoute route) {
    ChatTranslator translator = Translators.chat(ctx.api(), route.endpoint().schema());
    UpstreamRequest upstream = translator.toUpstream(body, route.upstreamModel(), route.endpoint());
    return client.send(upstream).thenCompose(response -> {
      if (translator.clientStreams() && response.status().isSuccess()) {
        return CompletableFuture.completedFuture(stream.relay(ctx, model, route, translator, response));
      }
      return whole.relay(ctx, model, route, response, translator::fromUpstream);
    });
  }
}
