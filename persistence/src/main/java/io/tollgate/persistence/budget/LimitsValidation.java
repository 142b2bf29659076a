package io.tollgate.persistence.budget;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Checks a {@link TenantLimits} before the entity accepts it. */
public final class LimitsValidation {
  private LimitsValidation() {}

  /** The first problem with {@code limits}, or empty when they are valid. */
  public static Optional<String> problem(TenantLimits limits) {
    if (limits == null) {
      return Optional.of("limits are required");
    }
    if (limits.zoneId() == null) {
      return Optional.of("a time zone is required");
    }
    try {
      ZoneId.of(limits.zoneId());
    } catch (DateTimeException e) {
      return Optional.of("unknown time zone " + limits.zoneId());
    }
    if (limits.failMode() == null) {
      return Optional.of("a fail mode (CLOSED or OPEN) is required");
    }
    if (limits.overdraftMicros() < 0) {
      return Optional.of("the overdraft must not be negative");
    }
    Set<String> series = new HashSet<>();
    for (Limit limit : limits.limits()) {
      Optional<String> problem = problem(limit);
      if (problem.isPresent()) {
        return problem;
      }
      if (!series.add(limit.scope() + "/" + limit.kind() + "/" + limit.period())) {
        return Optional.of("duplicate limit " + limit.kind() + " " + limit.period() + " for " + limit.scope());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> problem(Limit limit) {
    if (limit == null) {
      return Optional.of("a limit must not be null");
    }
    if (!Scope.isValid(limit.scope())) {
      return Optional.of("a limit's scope must be tenant, team:<id> or key:<id>, not " + limit.scope());
    }
    if (limit.kind() == null || limit.period() == null) {
      return Optional.of("a limit needs a kind and a period");
    }
    if (limit.amount() < 0) {
      return Optional.of("limit amounts must not be negative");
    }
    if (limit.kind().perMinute() && limit.period() != Period.MINUTE) {
      return Optional.of(limit.kind() + " is counted per MINUTE, not " + limit.period());
    }
    if (!limit.kind().perMinute() && limit.period() == Period.MINUTE) {
      return Optional.of(limit.kind() + " is counted per DAILY, MONTHLY or LIFETIME period, not MINUTE");
    }
    return Optional.empty();
  }
}
