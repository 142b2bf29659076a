package io.tollgate.persistence.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A time range of audit records: {@code from} inclusive, {@code to} exclusive. A range may span
 * several UTC days; each day is one partition of the audit table.
 */
public record AuditRange(Instant from, Instant to) {

  public AuditRange {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("the range must end after it starts");
    }
  }

  /** Whole UTC days {@code first} through {@code last}, both included. */
  public static AuditRange days(LocalDate first, LocalDate last) {
    return new AuditRange(startOf(first), startOf(last.plusDays(1)));
  }

  /** Whether {@code time} lies in the range. */
  public boolean contains(Instant time) {
    return !time.isBefore(from) && time.isBefore(to);
  }

  /** The UTC day of the first instant of the range. */
  public LocalDate firstDay() {
    return AuditRecord.dayOf(from);
  }

  /** The UTC day of the last instant of the range. */
  public LocalDate lastDay() {
    return AuditRecord.dayOf(to.minusNanos(1));
  }

  /** Every UTC day the range touches, newest first. */
  public List<LocalDate> daysNewestFirst() {
    List<LocalDate> days = new ArrayList<>();
    for (LocalDate d = lastDay(); !d.isBefore(firstDay()); d = d.minusDays(1)) {
      days.add(d);
    }
    return days;
  }

  /** How many UTC days the range touches. */
  public long dayCount() {
    return lastDay().toEpochDay() - firstDay().toEpochDay() + 1;
  }

  /** The part of the range within UTC day {@code day}, as [lower, upper). */
  Instant lowerWithin(LocalDate day) {
    Instant start = startOf(day);
    return from.isAfter(start) ? from : start;
  }

  Instant upperWithin(LocalDate day) {
    Instant end = startOf(day.plusDays(1));
    return to.isBefore(end) ? to : end;
  }

  static Instant startOf(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
