package io.tollgate.node.proxy;

import io.tollgate.node.Stages;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.node.http.ErrorResponses;
import io.tollgate.protocol.translate.ClientResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * Turns what one provider request produced into an {@link AttemptOutcome}, telling the
 * deployment's circuit how it went: connect errors, timeouts and retryable statuses become
 * {@link AttemptOutcome.Failed} (the body is kept so it can still be the client's answer); answers
 * and non-retryable provider errors are relayed and recorded.
 */
final class Attempts {
  private final WholeAnswer whole;
  private final DeploymentFeedback feedback;

  Attempts(WholeAnswer whole, DeploymentFeedback feedback) {
    this.whole = whole;
    this.feedback = feedback;
  }

  DeploymentFeedback feedback() {
    return feedback;
  }

  /**
   * @param stream opens a successful stream (null when the client asked for a whole answer)
   */
  CompletionStage<AttemptOutcome> outcome(
      CallContext ctx, String model, ModelRoute route, long startNanos, CompletionStage<HttpResponse> sent,
      BiFunction<Integer, byte[], ClientResponse> translate, Function<HttpResponse, CompletionStage<AttemptOutcome>> stream) {
    return Stages.plain(sent).handle((response, failure) -> {
      if (failure != null) {
        feedback.failed(route, millisSince(startNanos));
        return failedWith(route, failure);
      }
      int status = response.status().intValue();
      if (UpstreamStatus.retryable(status)) {
        return retryable(ctx, model, route, startNanos, response, translate);
      }
      if (stream != null && response.status().isSuccess()) {
        return stream.apply(response);
      }
      return Stages.plain(whole.relay(ctx, model, route, response, translate)).handle((answer, readFailure) -> {
        long ms = millisSince(startNanos);
        if (readFailure != null) {
          feedback.failed(route, ms);
          return (AttemptOutcome) failed(route, readFailure);
        }
        if (response.status().isSuccess()) {
          feedback.succeeded(route, -1, ms);
        } else {
          feedback.neutral(route, ms);
        }
        return new AttemptOutcome.Served(answer);
      });
    }).thenCompose(next -> next);
  }

  private CompletionStage<AttemptOutcome> retryable(
      CallContext ctx, String model, ModelRoute route, long startNanos, HttpResponse response,
      BiFunction<Integer, byte[], ClientResponse> translate) {
    int status = response.status().intValue();
    Duration retryAfter = RetryAfter.of(response);
    Optional<String> retryAfterHeader = response.getHeader("retry-after").map(HttpHeader::value);
    long ms = millisSince(startNanos);
    if (status == 429 && RateLimitScope.requestSpecific(response)) {
      feedback.rateLimitedRequest(route, ms);
    } else if (status == 429) {
      feedback.rateLimited(route, ms, retryAfter);
    } else {
      feedback.failed(route, ms);
    }
    return Stages.plain(whole.read(response)).handle((body, readFailure) -> readFailure != null
        ? failed(route, readFailure)
        : new AttemptOutcome.Failed(route, retryAfter, "provider answered " + status,
            () -> whole.answer(ctx, model, route, status, retryAfterHeader, body,
                TenantFacingErrors.generic(ctx.api(), translate))));
  }

  static CompletionStage<AttemptOutcome> failedWith(ModelRoute route, Throwable failure) {
    return CompletableFuture.completedFuture(failed(route, failure));
  }

  static AttemptOutcome failed(ModelRoute route, Throwable failure) {
    Throwable cause = ErrorResponses.unwrap(failure);
    return new AttemptOutcome.Failed(route, Duration.ZERO, cause.getClass().getSimpleName(),
        () -> CompletableFuture.failedFuture(cause));
  }

  static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
