package io.tollgate.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.http.budget.LedgerReconciliation;
import io.tollgate.node.http.budget.LimitsJson;
import io.tollgate.node.http.budget.SpendJson;
import io.tollgate.persistence.audit.AuditStore;
import io.tollgate.persistence.budget.Period;
import io.tollgate.persistence.budget.SpendReport;
import io.tollgate.persistence.budget.TenantBudget;
import io.tollgate.persistence.budget.TenantLimits;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The budget part of the admin API under {@code /admin/tenants/{tenant}/}, for the global admin
 * token only:
 *
 * <ul>
 *   <li>{@code PUT limits}: replaces the tenant's limits (see {@link LimitsJson} for the body) and
 *       answers with the stored limits; {@code GET limits} reads them.
 *   <li>{@code GET spend}: per limit its current window, limit, settled spend, what open leases
 *       hold and what is available ({@link SpendJson}).
 *   <li>{@code GET reconcile[?period=daily|monthly|lifetime|minute][&at=<instant>]}: the ledger
 *       against the audit records, line by line, for every limit (every scope and kind) of that
 *       period, or of all periods without one, in the windows containing {@code at} (default now)
 *       ({@link LedgerReconciliation}).
 * </ul>
 *
 * Every call asks the tenant's {@link TenantBudget} entity with a timeout; no answer in time is a
 * 503 {@code budget_unavailable}. Errors use the OpenAI error shape; with no admin token configured
 * these calls answer 404.
 */
public final class BudgetRoutes extends AdminDirectives {
  private static final Logger log = LoggerFactory.getLogger(BudgetRoutes.class);
  private static final long MAX_BODY_BYTES = 64 * 1024;

  private final ActorSystem<?> system;
  private final Duration askTimeout;
  private final BodyReader bodies;
  private final LedgerReconciliation reconciliation;
  private final Clock clock;

  public BudgetRoutes(ActorSystem<?> system, AuditStore audit, String adminToken, Duration askTimeout) {
    this(system, audit, adminToken, askTimeout, Clock.systemUTC());
  }

  BudgetRoutes(ActorSystem<?> system, AuditStore audit, String adminToken, Duration askTimeout, Clock clock) {
    super(system, adminToken);
    this.system = system;
    this.askTimeout = askTimeout;
    this.bodies = new BodyReader(MAX_BODY_BYTES, Materializer.matFromSystem(system));
    this.reconciliation = new LedgerReconciliation(system, audit);
    this.clock = clock;
  }

  public Route routes() {
    return pathPrefix("admin", () -> pathPrefix("tenants", () -> pathPrefix(PathMatchers.segment(), tenant -> concat(
        path("limits", () -> concat(
            put(() -> budgetAdmin(() -> withBody(bodies, body -> setLimits(tenant, body)))),
            get(() -> budgetAdmin(() -> limits(tenant))))),
        path("spend", () -> get(() -> budgetAdmin(() -> spend(tenant)))),
        path("reconcile", () -> get(() -> budgetAdmin(() -> parameterOptional("period", p ->
            parameterOptional("at", at -> reconcile(tenant, p, at))))))))));
  }

  private Route setLimits(String tenant, JsonNode body) {
    TenantLimits limits = LimitsJson.parse(body);
    return answer(this.<TenantLimits>ask(tenant, r -> new TenantBudget.SetLimits(limits, r)),
        stored -> ok(LimitsJson.render(tenant, stored)), "limits");
  }

  private Route limits(String tenant) {
    return answer(this.<TenantLimits>ask(tenant, TenantBudget.GetLimits::new),
        stored -> ok(LimitsJson.render(tenant, stored)), null);
  }

  private Route spend(String tenant) {
    Instant now = clock.instant();
    return answer(this.<SpendReport>ask(tenant, r -> new TenantBudget.GetSpend(now, r)),
        report -> ok(SpendJson.render(tenant, now, report)), null);
  }

  private Route reconcile(String tenant, Optional<String> periodParam, Optional<String> atParam) {
    Optional<Period> period = reconcilePeriod(periodParam);
    Instant now = clock.instant();
    Instant at = reconcileAt(atParam, now);
    CompletionStage<SpendReport> report = this.<SpendReport>ask(tenant, r -> new TenantBudget.GetSpend(at, r));
    return whenDone(report, failure -> entityFailure(failure, null), spent ->
        whenDone(reconciliation.compare(tenant, period, at, now, spent), failure -> {
          log.warn("reconciling the budget of tenant {} failed: {}", tenant,
              ErrorResponses.unwrap(failure).getClass().getSimpleName());
          return unavailable("The audit store did not answer; try again.");
        }, compared -> complete(ok(compared))));
  }

  /** Absent: every period. */
  private static Optional<Period> reconcilePeriod(Optional<String> param) {
    if (param.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(switch (param.get().trim().toLowerCase(Locale.ROOT)) {
      case "daily" -> Period.DAILY;
      case "monthly" -> Period.MONTHLY;
      case "lifetime" -> Period.LIFETIME;
      case "minute" -> Period.MINUTE;
      default -> throw GatewayException.invalid("period", "'period' must be daily, monthly, lifetime or minute.");
    });
  }

  /** Absent: now. Not after now: a future window has no ledger yet. */
  private static Instant reconcileAt(Optional<String> param, Instant now) {
    if (param.isEmpty()) {
      return now;
    }
    try {
      Instant at = Instant.parse(param.get().trim());
      if (at.isAfter(now)) {
        throw GatewayException.invalid("at", "'at' must not be in the future.");
      }
      if (at.isBefore(Instant.EPOCH)) {
        throw GatewayException.invalid("at", "'at' must not be before 1970.");
      }
      return at;
    } catch (DateTimeParseException e) {
      throw GatewayException.invalid("at", "'at' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z.");
    }
  }

  // --- plumbing -------------------------------------------------------------------------------

  /** Runs {@code inner} for the global admin; answers 404/401 otherwise, and any GatewayException in its shape. */
  private Route budgetAdmin(Supplier<Route> inner) {
    return admin(() -> answeringGatewayErrors(inner));
  }

  private <T> CompletionStage<T> ask(
      String tenant, org.apache.pekko.japi.function.Function<ActorRef<StatusReply<T>>, TenantBudget.Command> message) {
    return AskPattern.askWithStatus(TenantBudget.ref(system, tenant), message, askTimeout, system.scheduler());
  }

  /**
   * Completes with {@code render}'s response; an error reply of the entity is a 400 (naming
   * {@code param}), no answer in time a 503.
   */
  private <T> Route answer(CompletionStage<T> result, Function<T, HttpResponse> render, String param) {
    return whenDone(result, failure -> entityFailure(failure, param), value -> complete(render.apply(value)));
  }

  private static GatewayException entityFailure(Throwable failure, String param) {
    Throwable cause = ErrorResponses.unwrap(failure);
    if (cause instanceof StatusReply.ErrorMessage refused) {
      return GatewayException.invalid(param, "Refused: " + refused.getMessage() + ".");
    }
    return new GatewayException(ErrorKind.BUDGET_UNAVAILABLE, "The budget service did not answer in time; try again.",
        null, "budget_unavailable");
  }
}
