package io.tollgate.node.http.budget;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.audit.AuditRecord;
import io.tollgate.persistence.budget.LimitKind;
import io.tollgate.persistence.budget.Scope;
import io.tollgate.persistence.budget.SpendLine;
import io.tollgate.persistence.budget.TenantBudget;
import java.time.Instant;

/**
 * One ledger line (a limit in one window) and the audit records that belong to it, summed in the
 * limit's own unit: {@code cost_micros} for USD, input plus output tokens for TOKENS and
 * TOKENS_PER_MINUTE, one per record for REQUESTS_PER_MINUTE (the same sums the lease reconciler
 * settles). A record belongs to the line when its scope matches (tenant: every record; team: records
 * of keys in that team; key: that key's records) and its admission time ({@code time}) lies in the
 * window. Records admitted from a tracked lease are summed as {@code audit}; the others (no limits
 * yet, fail-open overdraft, untracked leases) as {@code unleased_audit}. Not thread-safe: one tally
 * per reconciliation, fed from one stream.
 */
final class LedgerLine {
  private final SpendLine line;
  private final Instant auditFrom;
  private final Instant auditTo;
  private long leased;
  private long unleased;
  private long records;

  /** {@code auditFrom}/{@code auditTo}: the records read for this line (its window, bounded for LIFETIME). */
  LedgerLine(SpendLine line, Instant auditFrom, Instant auditTo) {
    this.line = line;
    this.auditFrom = auditFrom;
    this.auditTo = auditTo;
  }

  Instant auditFrom() {
    return auditFrom;
  }

  Instant auditTo() {
    return auditTo;
  }

  SpendLine line() {
    return line;
  }

  void add(AuditRecord r) {
    if (r.time().isBefore(auditFrom) || !r.time().isBefore(auditTo) || !inScope(r)) {
      return;
    }
    long amount = amount(line.kind(), r);
    if (tracked(r.leaseId())) {
      leased += amount;
    } else {
      unleased += amount;
    }
    records++;
  }

  boolean consistent() {
    return line.spent() == leased;
  }

  ObjectNode render() {
    long difference = line.spent() - leased;
    ObjectNode o = JsonNodeFactory.instance.objectNode()
        .put("scope", line.scope())
        .put("kind", LimitsJson.name(line.kind()))
        .put("period", LimitsJson.name(line.period()))
        .put("window_start", line.windowStart().toString())
        .put("window_end", line.windowEnd() == null ? null : line.windowEnd().toString())
        .put("unit", unit(line.kind()))
        .put("limit", line.limit())
        .put("ledger", line.spent())
        .put("audit", leased)
        .put("difference", difference)
        .put("held", line.held())
        .put("unleased_audit", unleased)
        .put("audit_records", records)
        .put("audit_from", auditFrom.toString())
        .put("audit_to", auditTo.toString())
        .put("consistent", difference == 0);
    if (line.kind() == LimitKind.USD) {
      o.put("limit_micros", line.limit())
          .put("ledger_micros", line.spent())
          .put("audit_micros", leased)
          .put("difference_micros", difference)
          .put("held_micros", line.held())
          .put("unleased_audit_micros", unleased);
    }
    return o;
  }

  private boolean inScope(AuditRecord r) {
    String scope = line.scope();
    if (Scope.TENANT.equals(scope)) {
      return true;
    }
    if (scope.startsWith(Scope.TEAM_PREFIX)) {
      return scope.substring(Scope.TEAM_PREFIX.length()).equals(r.team());
    }
    return scope.startsWith(Scope.KEY_PREFIX) && scope.substring(Scope.KEY_PREFIX.length()).equals(r.keyId());
  }

  static long amount(LimitKind kind, AuditRecord r) {
    return switch (kind) {
      case USD -> r.costMicros();
      case TOKENS, TOKENS_PER_MINUTE -> r.inputTokens() + r.outputTokens();
      case REQUESTS_PER_MINUTE -> 1;
    };
  }

  private static String unit(LimitKind kind) {
    return switch (kind) {
      case USD -> "micro_usd";
      case TOKENS, TOKENS_PER_MINUTE -> "tokens";
      case REQUESTS_PER_MINUTE -> "requests";
    };
  }

  static boolean tracked(String leaseId) {
    return leaseId != null && !leaseId.isBlank() && !leaseId.startsWith(TenantBudget.UNLIMITED_LEASE_PREFIX);
  }
}
