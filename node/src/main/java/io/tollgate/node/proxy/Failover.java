package io.tollgate.node.proxy;

import io.tollgate.node.Stages;
import io.tollgate.node.catalog.ModelGroup;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.node.circuit.CircuitBook;
import io.tollgate.node.routing.Router;
import io.tollgate.node.routing.RoutingDecision;
import io.tollgate.node.routing.RoutingRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.pattern.Patterns;

/**
 * Tries a call's deployments in the router's order until one serves it. A deployment that fails
 * before anything reached the client hands over to the next at once; when every candidate has
 * failed, the call waits (exponential backoff with full jitter, at least the provider's
 * {@code retry-after}, never longer than {@code max-retry-wait}) and routes again — open circuits
 * drop out — while attempts and the deadline last. The last failure is what the client sees when nothing serves the call.
 */
final class Failover {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Failover.class);
  private final Router router;
  private final CircuitBook circuits;
  private final RoutingSettings settings;
  private final ActorSystem<?> system;
  private final TenantShares shares;

  Failover(Router router, CircuitBook circuits, RoutingSettings settings, ActorSystem<?> system, TenantShares shares) {
    this.shares = shares;
    this.router = router;
    this.circuits = circuits;
    this.settings = settings;
    this.system = system;
  }

  /** The decision the call starts from (also what the admin dry run shows). */
  RoutingDecision route(ModelGroup group, RoutingRequest request) {
    return router.route(group, request);
  }

  /**
   * Runs the attempts. {@code attempt} must admit the deployment's circuit only through
   * {@code feedback}, tell it how the attempt ended, and turn every retryable failure into
   * {@link AttemptOutcome.Failed}; a failed stage is final (bad input found while translating).
   */
  CompletionStage<HttpResponse> run(
      CallContext ctx, ModelGroup group, RoutingRequest request, RoutingDecision first,
      DeploymentFeedback feedback, Function<ModelRoute, CompletionStage<AttemptOutcome>> attempt) {
    if (first.candidates().isEmpty()) {
      return CompletableFuture.failedFuture(unroutable(group, first));
    }
    Run run = new Run(ctx, group, request, feedback, attempt, System.nanoTime() + settings.deadline().toNanos(),
        new AtomicBoolean());
    return next(run, first.candidates().iterator(), 0, null).whenComplete((response, failure) -> {
      // a streamed answer holds its share until the stream ends (StreamRelay releases it); anything else is done
      if (failure != null || response.entity().isKnownEmpty() || response.entity() instanceof HttpEntity.Strict) {
        ctx.releaseShare();
      }
    });
  }

  /** @param capped some candidate was passed over because the tenant holds its share of its provider */
  private record Run(
      CallContext ctx, ModelGroup group, RoutingRequest request, DeploymentFeedback feedback,
      Function<ModelRoute, CompletionStage<AttemptOutcome>> attempt, long deadlineNanos, AtomicBoolean capped) {}

  private CompletionStage<HttpResponse> next(Run run, Iterator<ModelRoute> order, int round, AttemptOutcome.Failed last) {
    while (order.hasNext() && run.ctx.attempts() < settings.maxAttempts() && System.nanoTime() < run.deadlineNanos) {
      ModelRoute route = order.next();
      TenantShares.Slot slot = shares.tryAcquire(run.ctx.caller().tenantId(), route);
      if (slot == null) {
        run.capped.set(true);
        continue;
      }
      if (!run.feedback.tryAcquire(route, run.request.inputTokens() + run.request.maxOutputTokens())) {
        slot.release();
        continue;
      }
      run.ctx.holdShare(slot);
      run.ctx.attempting(route);
      CompletionStage<AttemptOutcome> attempt;
      try {
        attempt = run.attempt.apply(route);
      } catch (RuntimeException unexpected) {
        run.feedback.neutral(route, 0);
        return CompletableFuture.failedFuture(unexpected);
      }
      return Stages.plain(attempt).thenCompose(outcome -> {
        if (outcome instanceof AttemptOutcome.Served served) {
          return CompletableFuture.completedFuture(served.response());
        }
        run.ctx.releaseShare();
        return next(run, order, round, (AttemptOutcome.Failed) outcome);
      });
    }
    if (last == null && run.capped.get()) {
      shares.refused();
      return CompletableFuture.failedFuture(new TenantShareExceeded());
    }
    if (last == null) {
      return CompletableFuture.failedFuture(unroutable(run.group, router.route(run.group, run.request)));
    }
    RoutingDecision again = router.route(run.group, run.request);
    Duration delay = backoff(round).compareTo(last.retryAfter()) < 0 ? last.retryAfter() : backoff(round);
    boolean timeLeft = System.nanoTime() + delay.toNanos() < run.deadlineNanos
        && delay.compareTo(settings.maxRetryWait()) <= 0;
    if (again.candidates().isEmpty() || run.ctx.attempts() >= settings.maxAttempts() || !timeLeft) {
      return last.asFinal().get();
    }
    return Stages.plain(Patterns.after(delay, system.classicSystem().scheduler(), system.executionContext(),
            () -> next(run, again.candidates().iterator(), round + 1, last)));
  }

  private Duration backoff(int round) {
    long cap = Math.min(settings.backoffMax().toMillis(), settings.backoffInitial().toMillis() << Math.min(round, 20));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap + 1));
  }

  private NoRouteAvailable unroutable(ModelGroup group, RoutingDecision decision) {
    Instant now = Instant.now();
    Optional<Instant> soonest = group.deployments().stream()
        .map(d -> circuits.openUntil(d.deploymentId()))
        .flatMap(Optional::stream)
        .filter(now::isBefore)
        .min(Instant::compareTo);
    if (log.isDebugEnabled()) {
      log.debug("no deployment of {} can take a call now: {}", group.logicalModel(), decision.skipped().isEmpty()
          ? "every candidate is half-open and already has its probe requests in flight"
          : String.join("; ", decision.skipped().stream().map(s -> s.deploymentId() + ": " + s.reason()).toList()));
    }
    return new NoRouteAvailable(group.logicalModel(), soonest.map(t -> Duration.between(now, t)).orElse(Duration.ZERO));
  }
}
