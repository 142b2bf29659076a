package io.tollgate.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Bridges the stages Pekko's Java API returns into plain {@link CompletableFuture}s. Pekko's
 * stages (Scala futures seen through {@code FutureConverters}) run every {@code thenApply} as
 * {@code thenApplyAsync} on the common pool, and on a 2-core machine the common pool has
 * parallelism 1, where {@code CompletableFuture} starts a new thread per task (measured: ~3.7
 * threads per call). A plain future continues on the thread that completed it, a Pekko
 * dispatcher thread, which is right for the short non-blocking steps of a call.
 */
public final class Stages {
  private static final Executor SAME_THREAD = Runnable::run;

  private Stages() {}

  public static <T> CompletableFuture<T> plain(CompletionStage<T> stage) {
    CompletableFuture<T> out = new CompletableFuture<>();
    stage.whenCompleteAsync((value, failure) -> {
      if (failure != null) {
        out.completeExceptionally(failure);
      } else {
        out.complete(value);
      }
    }, SAME_THREAD);
    return out;
  }
}
