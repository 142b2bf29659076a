package io.tollgate.node.audit;

import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.node.proxy.CallContext;
import io.tollgate.persistence.audit.AuditRecord;
import io.tollgate.persistence.audit.AuditStore;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.usage.Usage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prices a finished call and writes its one audit record. The write is asynchronous; the request
 * path never waits for Cassandra.
 */
public final class CallRecorder {
  private static final Logger log = LoggerFactory.getLogger(CallRecorder.class);
  private final AuditStore store;

  public CallRecorder(AuditStore store) {
    this.store = store;
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
            o.streamed());
    store.write(r).whenComplete((done, failure) -> {
      if (failure != null) {
        log.error("audit record {} could not be written: {}", ctx.requestId(), failure.getClass().getSimpleName());
      }
    });
    return cost;
  }

}
