package io.tollgate.persistence.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a page of audit records ended: the time and request id of its last (oldest) record. The
 * next page starts with the record right after it in newest-first order.
 */
public record AuditCursor(Instant time, String requestId) {

  public AuditCursor {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(requestId, "requestId");
  }

  /** The cursor right after {@code r}. */
  public static AuditCursor after(AuditRecord r) {
    return new AuditCursor(r.time(), r.requestId());
  }

  /**
   * Whether {@code r} comes after this cursor in the table's order: newer times first, and within
   * one millisecond by request id ascending.
   */
  public boolean precedes(AuditRecord r) {
    int byTime = r.time().compareTo(time);
    return byTime < 0 || (byTime == 0 && r.requestId().compareTo(requestId) > 0);
  }
}
