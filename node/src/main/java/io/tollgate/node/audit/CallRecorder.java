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
import io.tollgate.persistence.audit.OverdraftBatchTable;
import io.tollgate.persistence.budget.OverdraftBatchRow;
import io.tollgate.persistence.audit.CallAdmission;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.usage.Usage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a call durable and accounts for it. At admission from a lease it writes the call's
 * admission row ({@link #admitted}), which the answer waits for. When the call has finished it
 * prices it, writes its one audit record through the group commit and, only once that is written,
 * settles the budget admission with exactly that cost, and counts it in the metrics. Ledger and
 * audit agree to the micro-dollar because both take the cost from here; a node lost before the
 * settlement leaves the admission row, from which the lease reconciliation bills the call.
 */
public final class CallRecorder {
  private static final Logger log = LoggerFactory.getLogger(CallRecorder.class);
  private final AuditStore store;
  private final GatewayMetrics metrics;
  private final LeaseBook leases;
  private final AuditBodies bodies;
  private final OverdraftBatchTable overdrafts;
  /** This node's incarnation ({@code LeaseOwners.idOf}), the owner of its overdraft batches. */
  private final String owner;

  public CallRecorder(AuditStore store, GatewayMetrics metrics, LeaseBook leases, AuditBodies bodies,
      OverdraftBatchTable overdrafts, String owner) {
    this.store = store;
    this.metrics = metrics;
    this.leases = leases;
    this.bodies = bodies;
    this.overdrafts = overdrafts;
    this.owner = owner;
  }

  /** The finished call's facts; {@code route} is null when the model was never resolved. */
  public record Outcome(
      String logicalModel, ModelRoute route, Usage usage, int status, String errorType,
      long ttftMillis, boolean streamed) {}

  /** The audit record's error type for a gateway error kind, e.g. {@code upstream_timeout}. */
  public static String errorType(ErrorKind kind) {
    return kind == null ? null : kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The audit record's error type of a call failed closed because it could not be made durable. */
  public static final String NOT_DURABLE = "audit_unavailable";

  /**
   * Starts writing the admission row of a call admitted from a lease (at once complete without a
   * lease). Fails with {@link ErrorKind#AUDIT_UNAVAILABLE} when the row is not written within
   * {@code tollgate.audit.admission-timeout}.
   */
  public CompletionStage<Void> admitted(CallContext ctx, String logicalModel, Admission a) {
    if (a.leaseId() == null) {
      return CompletableFuture.completedFuture(null);
    }
    CallAdmission row = new CallAdmission(ctx.caller().tenantId(), a.leaseId(), ctx.requestId(), a.admittedAt(),
        ctx.caller().keyId(), ctx.caller().team(), clientApi(ctx), logicalModel, a.reserved().usdMicros(),
        a.reserved().tokens());
    CompletionStage<?> written = store.admit(row);
    OverdraftBatchRow batch = a.overdraftBatch(owner);
    if (batch != null) {
      // so the entity can settle the batch should this node die before it does
      written = written.thenCombine(overdrafts.register(row.tenantId(), batch), (x, y) -> x);
    }
    return Stages.plain(written).handle((done, failure) -> {
      if (failure != null) {
        log.warn("call {} could not be made durable: {}", ctx.requestId(), failure.getClass().getSimpleName());
        throw new CompletionException(new GatewayException(ErrorKind.AUDIT_UNAVAILABLE,
            "The gateway could not record this call durably in time, so its answer is withheld. Retry later."));
      }
      return null;
    });
  }

  /** Writes the audit record and returns the call's cost in micro-dollars. */
  public long record(CallContext ctx, Outcome o) {
    return written(ctx, o).cost();
  }

  /**
   * Writes the audit record of a call answered without a provider (refused, bad input) and completes
   * once it is written, or failed, or {@code tollgate.audit.admission-timeout} passed: the answer
   * waits for it, so a node killed right after answering still leaves its record.
   */
  public CompletionStage<Void> recordBeforeAnswer(CallContext ctx, Outcome o) {
    return written(ctx, o).write().toCompletableFuture()
        .orTimeout(store.admissionTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .handle((done, failure) -> null);
  }

  private record Written(long cost, CompletionStage<?> write) {}

  private Written written(CallContext ctx, Outcome o) {
    long cost = o.route() == null ? 0 : o.route().price().costMicros(o.usage());
    AuditRecord r =
        new AuditRecord(
            ctx.requestId(),
            // an admitted call counts when it was admitted (in its lease's windows), others when they arrived
            ctx.admission().map(Admission::admittedAt).orElse(ctx.startedAt()),
            ctx.caller().tenantId(),
            ctx.caller().keyId(),
            clientApi(ctx),
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
            ctx.attempts(),
            ctx.cacheResult(),
            ctx.cacheSavedMicros());
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
    // Settle only once the audit record is written: the ledger never holds spend without one. A
    // node lost in between leaves the admission row, and the lease reconciliation bills the call.
    CompletionStage<?> write = Stages.plain(store.writeFinal(r, admissionRowWritten(ctx))).whenComplete((done, failure) -> {
      if (failure == null) {
        ctx.admissionToSettle().ifPresent(a -> leases.settle(a, DemandEstimator.actual(cost, o.usage())));
      } else {
        log.error("audit record {} given up: its admission stays unsettled", ctx.requestId());
      }
    });
    return new Written(cost, write);
  }

  /**
   * Whether the call's admission row is known to be in {@code calls_by_lease}: then the final write
   * is the audit record alone. An answered call always waited for it; a call that failed before
   * (or whose row could not be written) also gets the row's final columns.
   */
  private static boolean admissionRowWritten(CallContext ctx) {
    CompletableFuture<Void> durable = ctx.durable().toCompletableFuture();
    return durable.isDone() && !durable.isCompletedExceptionally();
  }

  private static String clientApi(CallContext ctx) {
    return ctx.api().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String region(ModelRoute route) {
    return route.region().isEmpty() ? AuditRecord.GLOBAL_REGION : route.region();
  }
}
