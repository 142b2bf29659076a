package io.tollgate.node.proxy;

import io.tollgate.node.Stages;
import io.tollgate.node.audit.CallRecorder;
import io.tollgate.node.budget.BudgetUtilisation;
import io.tollgate.node.budget.LeaseBook;
import io.tollgate.node.metrics.GatewayMetrics;
import io.tollgate.persistence.budget.Demand;
import java.util.concurrent.CompletionStage;

/** Reserves a call's worst case against the caller's budgets before anything is sent upstream. */
final class Admitter {
  private final LeaseBook leases;
  private final GatewayMetrics metrics;
  private final CallRecorder recorder;

  Admitter(LeaseBook leases, GatewayMetrics metrics, CallRecorder recorder) {
    this.leases = leases;
    this.metrics = metrics;
    this.recorder = recorder;
  }

  /**
   * Completes once admitted (recording the admission on the context); fails with a budget rejection.
   * The admission row is written from here on, in parallel with the provider call ({@link CallContext#durable()}).
   */
  CompletionStage<Void> admit(CallContext ctx, String logicalModel, Demand worstCase) {
    return Stages.plain(leases.admit(ctx.caller().tenantId(), ctx.caller().keyId(), ctx.caller().team(), worstCase))
        .thenAccept(admission -> {
          ctx.admitted(admission);
          ctx.durableWhen(recorder.admitted(ctx, logicalModel, admission));
          BudgetUtilisation.of(admission).ifPresent(used -> metrics.recordBudgetUtilisation(ctx.caller().tenantId(), used));
        });
  }
}
