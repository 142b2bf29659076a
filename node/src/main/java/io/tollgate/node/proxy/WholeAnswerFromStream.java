package io.tollgate.node.proxy;

import io.tollgate.node.Stages;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.node.http.ErrorResponses;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.sse.SseParser;
import io.tollgate.protocol.translate.ChatTranslator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Gives a client that asked for a whole answer the one the gateway read from the provider as a
 * stream ({@code tollgate.upstream.whole-answers-as-streams}): the translator counts the stream as
 * it arrives and, at the request's output cap, the provider request is cancelled and the answer
 * ends with a {@code length} / {@code max_tokens} finish, so a provider that ignores the cap cannot
 * take a tenant past what admission reserved. A stream that fails before the answer began is a
 * failed attempt (the next deployment is tried); one that fails after is answered with the error in
 * the client's shape and billed what was streamed. A provider that answers a stream request with a
 * plain JSON body gets the whole-answer path.
 */
final class WholeAnswerFromStream {
  private final WholeAnswer whole;
  private final DeploymentFeedback feedback;
  private final Materializer materializer;
  private final Duration idleTimeout;
  private final long maxBytes;

  WholeAnswerFromStream(
      WholeAnswer whole, DeploymentFeedback feedback, Materializer materializer, Duration idleTimeout, long maxBytes) {
    this.whole = whole;
    this.feedback = feedback;
    this.materializer = materializer;
    this.idleTimeout = idleTimeout;
    this.maxBytes = maxBytes;
  }

  CompletionStage<AttemptOutcome> read(
      CallContext ctx, String model, ModelRoute route, ChatTranslator translator, HttpResponse upstream,
      long startNanos) {
    if (!upstream.entity().getContentType().mediaType().toString().startsWith("text/event-stream")) {
      return whole.relay(ctx, model, route, upstream, AnswerSinks.notifying(ctx, translator, translator::fromUpstream, false))
          .thenApply(answer -> {
            feedback.succeeded(route, -1, Attempts.millisSince(startNanos));
            return (AttemptOutcome) new AttemptOutcome.Served(answer);
          });
    }
    SseParser parser = new SseParser();
    CompletionStage<?> read = upstream.entity().getDataBytes()
        .idleTimeout(idleTimeout)
        .limitWeighted(maxBytes, chunk -> (long) chunk.size())
        .map(chunk -> feed(parser.feed(chunk.toArray()), translator))
        // at the cap or an in-band error the answer is complete: stop (and cancel) the provider
        .takeWhile(more -> more)
        .runWith(Sink.ignore(), materializer);
    return Stages.plain(read).handle((done, failure) -> {
      if (failure != null) {
        fail(translator, failure);
      } else if (!translator.outputCapReached() && translator.streamError() == null) {
        feed(parser.finish(), translator);
        translator.onStreamEnd();
      }
      long ms = Attempts.millisSince(startNanos);
      if (translator.streamError() != null && !translator.answerStarted()) {
        feedback.failed(route, ms);
        ErrorKind kind = translator.streamError();
        // the provider's own text may name the operator's account or deployment: the tenant gets ours
        String message = TenantFacingErrors.message(kind);
        return CompletableFuture.<AttemptOutcome>completedFuture(new AttemptOutcome.Failed(
            route, Duration.ZERO, "stream failed before its first event",
            () -> CompletableFuture.failedFuture(new GatewayException(kind, message))));
      }
      if (translator.streamError() != null) {
        feedback.failed(route, ms);
      } else {
        feedback.succeeded(route, -1, ms);
      }
      return whole.answer(ctx, model, route, 200, Optional.empty(), null,
              AnswerSinks.notifying(ctx, translator, (status, body) -> translator.wholeAnswer(), true))
          .thenApply(answer -> (AttemptOutcome) new AttemptOutcome.Served(answer));
    }).thenCompose(outcome -> outcome);
  }

  /**
   * Feeds events to the translator; false once the provider must be stopped (cap or in-band error).
   * A clean end is read to the end of the body, so the pooled connection stays open for the next call.
   */
  private static boolean feed(List<SseEvent> events, ChatTranslator translator) {
    for (SseEvent e : events) {
      translator.onStreamEvent(e);
    }
    return !translator.outputCapReached() && translator.streamError() == null;
  }

  private static void fail(ChatTranslator translator, Throwable failure) {
    Throwable cause = ErrorResponses.unwrap(failure);
    if (cause instanceof TimeoutException) {
      translator.onStreamFailure(ErrorKind.UPSTREAM_TIMEOUT, "The provider stopped sending for too long.");
    } else if (cause instanceof GatewayException g) {
      translator.onStreamFailure(g.kind(), g.getMessage());
    } else {
      translator.onStreamFailure(ErrorKind.UPSTREAM_ERROR, "The provider stream broke off before it was complete.");
    }
  }
}
