package io.tollgate.node.http.budget;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.audit.AuditFilter;
import io.tollgate.persistence.audit.AuditRange;
import io.tollgate.persistence.audit.AuditStore;
import io.tollgate.persistence.budget.Period;
import io.tollgate.persistence.budget.Scope;
import io.tollgate.persistence.budget.SpendLine;
import io.tollgate.persistence.budget.SpendReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Checks the budget ledger against the audit trail, line by line: every limit of the tenant (tenant,
 * team and key scopes; USD, TOKENS, REQUESTS_PER_MINUTE, TOKENS_PER_MINUTE) in its window that
 * contains {@code at}, the settled spend ({@code ledger}) against the audit records of the same scope
 * and window ({@code audit}, see {@link LedgerLine} for what belongs to a line and how it is summed).
 * They must be equal ({@code consistent} per line; the top-level {@code consistent} when every line
 * is). USD lines also carry the amounts under their older {@code *_micros} names.
 *
 * <p>Admission time: a record belongs to the window that contains its {@code time}, which is the
 * call's admission time. The ledger counts a call in the windows of the lease it was admitted
 * from, so {@code time} must be the instant the call took its slot from that lease (a lease only
 * admits within its windows). Today the audit record's {@code time} is when the gateway received
 * the call ({@code CallContext.startedAt}), which precedes the admission by the key check and, when
 * the node holds no usable lease, by the wait for one (seconds while the entity moves). A call
 * received before a window's end and admitted from a lease of the next window is counted in the
 * next window by the ledger and in the earlier one here; until the record carries the admission
 * instant, per-minute lines are exact only for calls admitted without such a wait across a minute's
 * end (daily and monthly lines likewise across midnight).
 *
 * <p>Both sides trail a finished call a little: its audit record is written asynchronously, and its
 * usage reaches the ledger with the lease's next settlement (every {@code settle-interval}). While
 * calls are in flight (their reservation is in {@code held}) a small difference is transient.
 *
 * <p>The entity keeps the ledger of the current window and the one before per limit; a report for an
 * older {@code at} shows a ledger of 0. LIFETIME lines read the audit records of the last
 * {@value #LIFETIME_AUDIT_DAYS} days only ({@code audit_from}): older records are not summed.
 */
public final class LedgerReconciliation {
  static final int LIFETIME_AUDIT_DAYS = 400;

  private final ActorSystem<?> system;
  private final AuditStore audit;

  public LedgerReconciliation(ActorSystem<?> system, AuditStore audit) {
    this.system = system;
    this.audit = audit;
  }

  /**
   * The comparison for every limit in {@code report} (the entity's spend as of {@code at}), or only
   * those of {@code period} when present; {@code now} bounds the audit read of LIFETIME lines.
   */
  public CompletionStage<ObjectNode> compare(
      String tenantId, Optional<Period> period, Instant at, Instant now, SpendReport report) {
    List<LedgerLine> lines = report.lines().stream()
        .filter(l -> period.isEmpty() || l.period() == period.get())
        .sorted(ORDER)
        .map(l -> line(l, now))
        .toList();
    CompletionStage<Void> summed = lines.isEmpty()
        ? CompletableFuture.completedFuture(null)
        : audit.records(tenantId, union(lines), AuditFilter.ALL, null)
            .runForeach(r -> lines.forEach(line -> line.add(r)), system)
            .thenApply(done -> null);
    return summed.thenApply(v -> render(tenantId, period, at, lines));
  }

  private static final Comparator<SpendLine> ORDER = Comparator
      .comparingInt((SpendLine l) -> scopeRank(l.scope()))
      .thenComparing(SpendLine::scope)
      .thenComparing(SpendLine::kind)
      .thenComparing(SpendLine::period);

  private static int scopeRank(String scope) {
    return Scope.TENANT.equals(scope) ? 0 : scope.startsWith(Scope.TEAM_PREFIX) ? 1 : 2;
  }

  private static LedgerLine line(SpendLine l, Instant now) {
    if (l.windowEnd() == null) {
      Instant from = now.minus(Duration.ofDays(LIFETIME_AUDIT_DAYS));
      return new LedgerLine(l, from.isAfter(l.windowStart()) ? from : l.windowStart(), now.plus(Duration.ofDays(1)));
    }
    return new LedgerLine(l, l.windowStart(), l.windowEnd());
  }

  private static AuditRange union(List<LedgerLine> lines) {
    Instant from = lines.stream().map(LedgerLine::auditFrom).min(Comparator.naturalOrder()).orElseThrow();
    Instant to = lines.stream().map(LedgerLine::auditTo).max(Comparator.naturalOrder()).orElseThrow();
    return new AuditRange(from, to);
  }

  private static ObjectNode render(String tenantId, Optional<Period> period, Instant at, List<LedgerLine> lines) {
    ObjectNode o = JsonNodeFactory.instance.objectNode()
        .put("object", "budget.reconciliation")
        .put("tenant_id", tenantId)
        .put("period", period.map(LimitsJson::name).orElse("all"))
        .put("as_of", at.toString());
    ArrayNode data = JsonNodeFactory.instance.arrayNode();
    boolean consistent = true;
    for (LedgerLine line : lines) {
      consistent &= line.consistent();
      data.add(line.render());
    }
    o.put("consistent", consistent);
    o.set("data", data);
    return o;
  }
}
