package io.tollgate.node.proxy;

import io.tollgate.node.catalog.ModelRoute;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** How one attempt against one deployment ended. */
sealed interface AttemptOutcome {

  /** The client gets this response (an answer, a started stream, or a provider error not worth retrying). */
  record Served(HttpResponse response) implements AttemptOutcome {}

  /**
   * The deployment failed in a way another attempt may fix, before anything reached the client.
   *
   * @param retryAfter what the provider asked for, {@link Duration#ZERO} when it did not say
   * @param asFinal renders this failure for the client when no attempt is left (recording the call)
   */
  record Failed(ModelRoute route, Duration retryAfter, String reason, Supplier<CompletionStage<HttpResponse>> asFinal)
      implements AttemptOutcome {}
}
