package io.tollgate.node.budget;

import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.budget.DenialReason;
import io.tollgate.persistence.budget.LeaseGrant;
import io.tollgate.persistence.budget.LimitKind;
import io.tollgate.persistence.budget.LimitStatus;
import io.tollgate.persistence.budget.Scope;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Turns a refused lease into the client's error: BUDGET_EXCEEDED (a USD or token budget is used
 * up) or RATE_LIMITED (a per-minute limit), both 429 with {@code retry-after} until the blocking
 * window ends; and the 503 BUDGET_UNAVAILABLE of a request failing closed.
 */
public final class BudgetErrors {
  private BudgetErrors() {}

  /** The rejection for a lease the entity refused to {@code demand} at {@code now}. */
  public static BudgetRejection refused(LeaseGrant grant, Demand demand, Instant now) {
    boolean budget = grant.reason() != DenialReason.RATE_LIMITED;
    LimitStatus blocking = blocking(grant.status(), demand, budget);
    ErrorKind kind = budget ? ErrorKind.BUDGET_EXCEEDED : ErrorKind.RATE_LIMITED;
    String message = blocking == null
        ? (budget ? "Budget exceeded for this API key." : "Rate limit reached for this API key.")
        : describe(blocking, budget);
    Long retryAfter = grant.retryAfter() == null ? null : retryAfterSeconds(now, grant.retryAfter());
    if (retryAfter != null) {
      message += " Retry after " + retryAfter + " s.";
    }
    String code = budget ? "budget_exceeded" : "rate_limit_exceeded";
    return new BudgetRejection(new GatewayException(kind, message, null, code), retryAfter, grant.status(), now);
  }

  /** The 503 of a request that could not be checked against its budget in time. */
  public static BudgetRejection unavailable(Instant now) {
    return new BudgetRejection(new GatewayException(ErrorKind.BUDGET_UNAVAILABLE,
        "The budget service did not answer in time; the request was not admitted. Please retry.",
        null, "budget_unavailable"), null, List.of(), now);
  }

  /** The 503 of a fail-open tenant whose local overdraft is used up while the budget service is away. */
  public static BudgetRejection overdraftExhausted(Instant now) {
    return new BudgetRejection(new GatewayException(ErrorKind.BUDGET_UNAVAILABLE,
        "The budget service is unavailable and this node's overdraft for the tenant is used up. Please retry.",
        null, "budget_unavailable"), null, List.of(), now);
  }

  /** Whole seconds from {@code now} to {@code until}, rounded up, at least 1. */
  static long retryAfterSeconds(Instant now, Instant until) {
    long millis = Duration.between(now, until).toMillis();
    return Math.max(1, (millis + 999) / 1000);
  }

  private static LimitStatus blocking(List<LimitStatus> status, Demand demand, boolean budget) {
    LimitStatus best = null;
    for (LimitStatus s : status) {
      if (s.kind().perMinute() == budget || s.remaining() >= s.kind().of(demand)) {
        continue;
      }
      if (best == null || s.remaining() < best.remaining()) {
        best = s;
      }
    }
    return best;
  }

  private static String describe(LimitStatus s, boolean budget) {
    String who = who(s.scope());
    if (budget) {
      String period = s.period().name().toLowerCase(Locale.ROOT);
      String what = s.kind() == LimitKind.USD ? "USD budget" : "token budget";
      return "Budget exceeded: the " + period + " " + what + " of " + who + " is used up.";
    }
    String unit = s.kind() == LimitKind.REQUESTS_PER_MINUTE ? "requests" : "tokens";
    return "Rate limit reached: " + s.limit() + " " + unit + " per minute for " + who + ".";
  }

  private static String who(String scope) {
    if (scope.startsWith(Scope.KEY_PREFIX)) {
      return "this API key";
    }
    if (scope.startsWith(Scope.TEAM_PREFIX)) {
      return "team " + scope.substring(Scope.TEAM_PREFIX.length());
    }
    return "the tenant";
  }
}
