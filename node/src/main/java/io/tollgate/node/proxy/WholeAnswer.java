package io.tollgate.node.proxy;

import io.tollgate.node.Stages;
import io.tollgate.node.audit.CallRecorder;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.node.http.ErrorResponses;
import io.tollgate.node.http.ResponseStatus;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.translate.ClientResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;

/**
 * Relays a provider's complete (non-streamed) answer: reads it with a size bound, translates it,
 * records the call and adds the usage headers. Provider errors keep their {@code retry-after}.
 * Nothing is returned before the call is durable ({@link CallContext#durable()}); a call that could
 * not be made durable gets a 503 instead, and what the provider used is still recorded and settled.
 * The provider's answer is read to its end even then: cancelling it would leave its cost unknown.
 */
final class WholeAnswer {
  private final CallRecorder recorder;
  private final Materializer materializer;
  private final long readTimeoutMillis;
  private final long maxBytes;
  private final ReservationOverruns overruns;

  WholeAnswer(
      CallRecorder recorder, Materializer materializer, long readTimeoutMillis, long maxBytes,
      ReservationOverruns overruns) {
    this.recorder = recorder;
    this.overruns = overruns;
    this.materializer = materializer;
    this.readTimeoutMillis = readTimeoutMillis;
    this.maxBytes = maxBytes;
  }

  /** The provider's body, read whole (bounded in size and time). */
  CompletionStage<byte[]> read(HttpResponse upstream) {
    // A small answer usually arrives whole, as a strict entity. Its toStrict with a size bound would
    // still run a stream (an actor per call): take its bytes instead; an oversized one still goes
    // through toStrict, which fails it the usual way.
    if (upstream.entity() instanceof HttpEntity.Strict strict && strict.getData().size() <= maxBytes) {
      return CompletableFuture.completedFuture(strict.getData().toArray());
    }
    return Stages.plain(upstream.entity().toStrict(readTimeoutMillis, maxBytes, materializer))
        .thenApply(strict -> strict.getData().toArray());
  }

  CompletionStage<HttpResponse> relay(
      CallContext ctx, String model, ModelRoute route, HttpResponse upstream,
      BiFunction<Integer, byte[], ClientResponse> translate) {
    return read(upstream).thenCompose(body -> answer(ctx, model, route, upstream.status().intValue(),
        upstream.getHeader("retry-after").map(HttpHeader::value), body, translate));
  }

  /**
   * Translates a provider answer already read, records the call and builds the client's response,
   * once the call is durable.
   */
  CompletionStage<HttpResponse> answer(
      CallContext ctx, String model, ModelRoute route, int status, Optional<String> retryAfter, byte[] body,
      BiFunction<Integer, byte[], ClientResponse> translate) {
    return Stages.plain(ctx.durable()).handle((durable, notDurable) -> notDurable == null
        ? respond(ctx, model, route, status, retryAfter, body, translate)
        : refuse(ctx, model, route, status, body, translate, notDurable));
  }

  private HttpResponse refuse(
      CallContext ctx, String model, ModelRoute route, int status, byte[] body,
      BiFunction<Integer, byte[], ClientResponse> translate, Throwable notDurable) {
    ClientResponse answer = translate.apply(status, body);
    recorder.record(ctx, new CallRecorder.Outcome(
        model, route, answer.usage(), ErrorKind.AUDIT_UNAVAILABLE.status(), CallRecorder.NOT_DURABLE, -1, false));
    return ErrorResponses.of(ctx.api(), ErrorResponses.classify(notDurable));
  }

  private HttpResponse respond(
      CallContext ctx, String model, ModelRoute route, int status, Optional<String> retryAfter, byte[] body,
      BiFunction<Integer, byte[], ClientResponse> translate) {
    ClientResponse answer = translate.apply(status, body);
    ctx.bodies().ifPresent(b -> b.response(new String(answer.body(), StandardCharsets.UTF_8)));
    long cost = recorder.record(ctx, new CallRecorder.Outcome(
        model, route, answer.usage(), answer.status(), CallRecorder.errorType(answer.error()), -1, false));
    overruns.check(ctx, route, answer.usage(), cost, false);
    List<HttpHeader> headers = UsageHeaders.of(answer.usage(), cost, route, ctx.attempts());
    if (!answer.ok()) {
      retryAfter.ifPresent(v -> headers.add(RawHeader.create("retry-after", v)));
    }
    return HttpResponse.create()
        .withStatus(ResponseStatus.of(answer.status()))
        .withEntity(ContentTypes.APPLICATION_JSON, answer.body())
        .addHeaders(headers);
  }
}
