package io.tollgate.persistence.audit;

import java.util.List;

/**
 * One page of audit records, newest first.
 *
 * @param next where the next page starts; null when this is the last page
 */
public record AuditPage(List<AuditRecord> records, AuditCursor next) {

  public AuditPage {
    records = List.copyOf(records);
  }
}
