package io.tollgate.persistence.budget;

import io.tollgate.persistence.CborSerializable;
import java.util.List;

/**
 * The answer to {@code GetSpend}: one line per limit, and the ids of expired leases waiting for
 * reconciliation.
 */
public record SpendReport(List<SpendLine> lines, List<String> expiredLeaseIds) implements CborSerializable {
  public SpendReport {
    lines = lines == null ? List.of() : List.copyOf(lines);
    expiredLeaseIds = expiredLeaseIds == null ? List.of() : List.copyOf(expiredLeaseIds);
  }
}
