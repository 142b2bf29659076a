package io.tollgate.node.audit;

import io.tollgate.node.Stages;
import io.tollgate.node.budget.Admission;
import io.tollgate.node.budget.DemandEstimator;
import io.tollgate.node.budget.LeaseBook;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.node.logging.CallLog;
import io.tollgate.node.metrics.CallMetrics;
import io.tollgate.node.metrics.GatewayMetrics;
import io.tollgate.node.proxy.CallContext;
import io.tollgate.persistence.audit.AuditBodies;
import io.tollgate.persistence.audit.AuditRecord;
import io.tollgate.persistence.audit.AuditStore;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.usage.Usage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prices a finished call, settles its budget admission with exactly that cost, writes its one
 * audit record and counts it in the metrics. The write is asynchronous; the request path never
 * waits for Cassandra. Ledger and audit agree to the micro-dollar because both take the cost from
 * here.
 */
public final class CallRecorder {
  private static final Logger log = LoggerFactory.getLogger(CallRecorder.class);
  private final AuditStore store;
  private final GatewayMetrics metrics;
  private final LeaseBook leases;
  private final AuditBodies bodies;

  public CallRecorder(AuditStore store, GatewayMetrics metrics, LeaseBook leases, AuditBodies bodies) {
    this.store = store;
    this.metrics = metrics;
    this.leases = leases;
    this.bodies = bodies;
  }

  /** The finished call's facts; {@code route} is null when the model was never resolved. */
  public record Outcome(
      String logicalModel, ModelRoute route, Usage usage, int status, String errorType,
      long ttftMillis, boolean streamed) {}

  /** The audit record's error type for a gateway error kind, e.g. {@code upstream_timeout}. */
  public static String errorType(ErrorKind kind) {
    return kind == null ? null : kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Writes the audit record and returns the call's cost in micro-dollars. */
  public long record(CallContext ctx, Outcome o) {
    long cost = o.route() == null ? 0 : o.route().price().costMicros(o.usage());
    AuditRecord r =
        new AuditRecord(
            ctx.requestId(),
            ctx.startedAt(),
            ctx.caller().tenantId(),
            ctx.caller().keyId(),
            ctx.api().name().toLowerCase(java.util.Locale.ROOT),
            o.logicalModel(),
            o.route() == null ? null : o.route().endpoint().name(),
            o.route() == null ? null : o.route().upstreamModel(),
            o.usage().totalInputTokens(),
            o.usage().outputTokens(),
            o.usage().cacheReadTokens(),
            o.usage().cacheWriteTokens(),
            o.usage().estimated(),
            cost,
            ctx.elapsedMillis(),
            o.ttftMillis(),
            o.status(),
            o.errorType(),
            o.streamed(),
            ctx.caller().team(),
            ctx.admission().map(Admission::leaseId).orElse(null),
            o.route() == null ? null : o.route().deploymentId(),
            o.route() == null ? null : region(o.route()),
            ctx.attempts());
    metrics.recordCall(new CallMetrics(
        r.tenantId(), ctx.api(), r.logicalModel(), r.provider(), r.upstreamModel(), r.streamed(), r.status(),
        r.errorType(), r.inputTokens(), r.outputTokens(), r.cachedTokens(), cost, r.latencyMillis(), r.ttftMillis()),
        ctx.operation());
    ctx.bodies().ifPresent(b -> Stages.plain(
            bodies.capture(r.tenantId(), r.requestId(), r.time(), b.requestText(), b.responseText()))
        .whenComplete((stored, failure) -> {
          if (failure != null) {
            log.warn("bodies of {} could not be stored: {}", ctx.requestId(), failure.getClass().getSimpleName());
          }
        }));
    CallLog.finished(r.requestId(), r.tenantId(), r.keyId(), r.clientApi(), r.logicalModel(), r.provider(),
        r.status(), r.errorType(), r.inputTokens(), r.outputTokens(), cost, r.latencyMillis(), r.streamed());
    // Settle only once the audit write has ended: a node killed in between then leaves its spend in
    // the audit (and the lease reconciliation settles it), never in the ledger without an audit record.
    Stages.plain(store.write(r)).whenComplete((done, failure) -> {
      ctx.admissionToSettle().ifPresent(a -> leases.settle(a, DemandEstimator.actual(cost, o.usage())));
      if (failure != null) {
        log.error("audit record {} could not be written: {}", ctx.requestId(), failure.getClass().getSimpleName());
      }
    });
    return cost;
  }

  private static String region(ModelRoute route) {
    return route.region().isEmpty() ? AuditRecord.GLOBAL_REGION : route.region();
  }
}
