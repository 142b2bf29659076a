package io.tollgate.node.budget;

import io.tollgate.persistence.budget.TenantBudget;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;

/** How the node talks to TenantBudget entities: every ask with the configured timeout, and counted. */
final class BudgetEntities {
  private final Function<String, RecipientRef<TenantBudget.Command>> refs;
  private final Duration timeout;
  private final Scheduler scheduler;
  private final AtomicLong asks = new AtomicLong();

  BudgetEntities(Function<String, RecipientRef<TenantBudget.Command>> refs, Duration timeout, Scheduler scheduler) {
    this.refs = refs;
    this.timeout = timeout;
    this.scheduler = scheduler;
  }

  /** Asks the tenant's entity; the stage fails on an error reply or after the timeout. */
  <T> CompletionStage<T> ask(
      String tenantId,
      org.apache.pekko.japi.function.Function<ActorRef<StatusReply<T>>, TenantBudget.Command> message) {
    asks.incrementAndGet();
    try {
      return AskPattern.askWithStatus(refs.apply(tenantId), message, timeout, scheduler);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Asks sent so far (every kind). */
  long asks() {
    return asks.get();
  }
}
