package io.tollgate.persistence.budget;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * Window boundaries, fixed: DAILY starts at local midnight in the tenant's zone (so a DST day is
 * 23 or 25 hours long), MONTHLY at 00:00 local on the first of the month, LIFETIME at the epoch
 * and never ends, MINUTE is the UTC epoch minute. A limit applies to admissions whose admission
 * time falls in the window.
 */
public final class Windows {
  private Windows() {}

  /** The start of the window of {@code period} containing {@code at}. */
  public static Instant startOf(Period period, Instant at, ZoneId zone) {
    return switch (period) {
      case DAILY -> localDate(at, zone).atStartOfDay(zone).toInstant();
      case MONTHLY -> localDate(at, zone).withDayOfMonth(1).atStartOfDay(zone).toInstant();
      case LIFETIME -> Instant.EPOCH;
      case MINUTE -> at.truncatedTo(ChronoUnit.MINUTES);
    };
  }

  /** The end (exclusive) of the window of {@code period} containing {@code at}; null for LIFETIME. */
  public static Instant endOf(Period period, Instant at, ZoneId zone) {
    return switch (period) {
      case DAILY -> localDate(at, zone).plusDays(1).atStartOfDay(zone).toInstant();
      case MONTHLY -> localDate(at, zone).withDayOfMonth(1).plusMonths(1).atStartOfDay(zone).toInstant();
      case LIFETIME -> null;
      case MINUTE -> at.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
    };
  }

  /** The window of {@code limit} containing {@code at}. */
  public static WindowKey windowOf(Limit limit, Instant at, ZoneId zone) {
    return WindowKey.of(limit, startOf(limit.period(), at, zone).toEpochMilli());
  }

  /** The end of {@code window}; null for LIFETIME. */
  public static Instant endOf(WindowKey window, ZoneId zone) {
    return endOf(window.period(), Instant.ofEpochMilli(window.windowStartEpochMillis()), zone);
  }

  private static LocalDate localDate(Instant at, ZoneId zone) {
    return at.atZone(zone).toLocalDate();
  }
}
