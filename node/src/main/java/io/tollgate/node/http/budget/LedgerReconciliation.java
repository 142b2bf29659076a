package io.tollgate.node.http.budget;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.audit.AuditFilter;
import io.tollgate.persistence.audit.AuditRange;
import io.tollgate.persistence.audit.AuditRecord;
import io.tollgate.persistence.audit.AuditStore;
import io.tollgate.persistence.budget.LimitKind;
import io.tollgate.persistence.budget.Period;
import io.tollgate.persistence.budget.Scope;
import io.tollgate.persistence.budget.SpendLine;
import io.tollgate.persistence.budget.SpendReport;
import io.tollgate.persistence.budget.TenantBudget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Checks the budget ledger against the audit trail: for every tenant-scope USD limit of one period
 * (daily or monthly), the settled spend of its current window ({@code ledger_micros}) against the
 * sum of {@code cost_micros} of the audit records in that window that were admitted from a budget
 * lease ({@code audit_micros}). They must be equal to the micro-dollar ({@code consistent}).
 *
 * <p>Both sides trail a finished call a little: its audit record is written asynchronously, and its
 * cost reaches the ledger with the lease's next settlement (every {@code settle-interval}, 200 ms by
 * default). Right after traffic, and while calls are in flight (their reservation is in
 * {@code held_micros}), a small difference is transient; it is settled within a settle interval.
 * Records of calls admitted without a lease (before the tenant had limits, or under a fail-open
 * overdraft, which is settled on a later lease) are summed apart as {@code unleased_audit_micros}.
 * A call admitted from a lease granted just before the window started, and finished in it, counts
 * in the window it was admitted in; so can its record's time near a window boundary.
 */
public final class LedgerReconciliation {
  private final ActorSystem<?> system;
  private final AuditStore audit;

  public LedgerReconciliation(ActorSystem<?> system, AuditStore audit) {
    this.system = system;
    this.audit = audit;
  }

  /** The comparison for every tenant-scope USD limit of {@code period} in {@code report}. */
  public CompletionStage<ObjectNode> compare(String tenantId, Period period, Instant asOf, SpendReport report) {
    List<SpendLine> lines = report.lines().stream()
        .filter(l -> l.kind() == LimitKind.USD && l.period() == period && Scope.TENANT.equals(l.scope()))
        .toList();
    List<CompletableFuture<ObjectNode>> rows = new ArrayList<>(lines.size());
    for (SpendLine line : lines) {
      rows.add(auditSums(tenantId, line).thenApply(sums -> row(line, sums)).toCompletableFuture());
    }
    return CompletableFuture.allOf(rows.toArray(CompletableFuture[]::new)).thenApply(v -> {
      ObjectNode o = JsonNodeFactory.instance.objectNode()
          .put("object", "budget.reconciliation")
          .put("tenant_id", tenantId)
          .put("period", LimitsJson.name(period))
          .put("as_of", asOf.toString());
      ArrayNode data = JsonNodeFactory.instance.arrayNode();
      boolean consistent = true;
      for (CompletableFuture<ObjectNode> row : rows) {
        ObjectNode r = row.join();
        consistent &= r.get("consistent").asBoolean();
        data.add(r);
      }
      o.put("consistent", consistent);
      o.set("data", data);
      return o;
    });
  }

  private CompletionStage<Sums> auditSums(String tenantId, SpendLine line) {
    AuditRange window = new AuditRange(line.windowStart(), line.windowEnd());
    return audit.records(tenantId, window, AuditFilter.ALL, null)
        .runFold(Sums.NONE, Sums::plus, system);
  }

  private static ObjectNode row(SpendLine line, Sums sums) {
    long difference = line.spent() - sums.leased;
    return JsonNodeFactory.instance.objectNode()
        .put("scope", line.scope())
        .put("kind", LimitsJson.name(line.kind()))
        .put("period", LimitsJson.name(line.period()))
        .put("window_start", line.windowStart().toString())
        .put("window_end", line.windowEnd().toString())
        .put("limit_micros", line.limit())
        .put("ledger_micros", line.spent())
        .put("audit_micros", sums.leased)
        .put("difference_micros", difference)
        .put("held_micros", line.held())
        .put("unleased_audit_micros", sums.unleased)
        .put("audit_records", sums.records)
        .put("consistent", difference == 0);
  }

  /** Audit costs of one window: of calls admitted from a tracked lease, and of the others. */
  private record Sums(long leased, long unleased, long records) {
    static final Sums NONE = new Sums(0, 0, 0);

    Sums plus(AuditRecord r) {
      String lease = r.leaseId();
      boolean tracked = lease != null && !lease.isBlank() && !lease.startsWith(TenantBudget.UNLIMITED_LEASE_PREFIX);
      return tracked
          ? new Sums(leased + r.costMicros(), unleased, records + 1)
          : new Sums(leased, unleased + r.costMicros(), records + 1);
    }
  }
}
