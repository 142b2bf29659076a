package io.tollgate.node.proxy;

import io.tollgate.node.Stages;
import io.tollgate.protocol.provider.UpstreamRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Sends translated requests to providers over Pekko HTTP's pooled client. The response future
 * fails with a {@link java.util.concurrent.TimeoutException} when the provider's headers do not
 * arrive within the response timeout.
 */
public final class ProviderClient {
  private final Http http;
  private final long responseTimeoutMillis;

  public ProviderClient(ActorSystem<?> system, Duration responseTimeout) {
    this.http = Http.get(system);
    this.responseTimeoutMillis = responseTimeout.toMillis();
  }

  public CompletionStage<HttpResponse> send(UpstreamRequest up) {
    List<HttpHeader> headers = new ArrayList<>(up.headers().size());
    for (Map.Entry<String, String> h : up.headers()) {
      String name = h.getKey();
      // Pekko models the content type on the entity, and the host from the URL.
      if (!name.equalsIgnoreCase("content-type") && !name.equalsIgnoreCase("host")) {
        headers.add(RawHeader.create(name, h.getValue()));
      }
    }
    HttpRequest request =
        HttpRequest.create(up.url())
            .withMethod(HttpMethods.POST)
            .withEntity(ContentTypes.APPLICATION_JSON, up.body())
            .addHeaders(headers);
    CompletableFuture<HttpResponse> response = Stages.plain(http.singleRequest(request));
    return response.orTimeout(responseTimeoutMillis, TimeUnit.MILLISECONDS);
  }
}
