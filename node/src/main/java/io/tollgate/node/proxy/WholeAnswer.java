package io.tollgate.node.proxy;

import io.tollgate.node.Stages;
import io.tollgate.node.audit.CallRecorder;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.node.http.ResponseStatus;
import io.tollgate.protocol.translate.ClientResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;

/**
 * Relays a provider's complete (non-streamed) answer: reads it with a size bound, translates it,
 * records the call and adds the usage headers. Provider errors keep their {@code retry-after}.
 */
final class WholeAnswer {
  private final CallRecorder recorder;
  private final Materializer materializer;
  private final long readTimeoutMillis;
  private final long maxBytes;

  WholeAnswer(CallRecorder recorder, Materializer materializer, long readTimeoutMillis, long maxBytes) {
    this.recorder = recorder;
    this.materializer = materializer;
    this.readTimeoutMillis = readTimeoutMillis;
    this.maxBytes = maxBytes;
  }

  CompletionStage<HttpResponse> relay(
      CallContext ctx, String model, ModelRoute route, HttpResponse upstream,
      BiFunction<Integer, byte[], ClientResponse> translate) {
    return Stages.plain(upstream.entity().toStrict(readTimeoutMillis, maxBytes, materializer))
        .thenApply(strict -> {
          ClientResponse answer = translate.apply(upstream.status().intValue(), strict.getData().toArray());
          ctx.bodies().ifPresent(b -> b.response(new String(answer.body(), StandardCharsets.UTF_8)));
          long cost = recorder.record(ctx, new CallRecorder.Outcome(
              model, route, answer.usage(), answer.status(), CallRecorder.errorType(answer.error()), -1, false));
          List<HttpHeader> headers = new ArrayList<>(UsageHeaders.of(answer.usage(), cost, route));
          if (!answer.ok()) {
            upstream.getHeader("retry-after").ifPresent(h -> headers.add(RawHeader.create("retry-after", h.value())));
          }
          return HttpResponse.create()
              .withStatus(ResponseStatus.of(answer.status()))
              .withEntity(ContentTypes.APPLICATION_JSON, answer.body())
              .addHeaders(headers);
        });
  }
}
