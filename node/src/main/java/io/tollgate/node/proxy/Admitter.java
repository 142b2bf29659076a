package io.tollgate.node.proxy;

import io.tollgate.node.Stages;
import io.tollgate.node.budget.BudgetUtilisation;
import io.tollgate.node.budget.LeaseBook;
import io.tollgate.node.metrics.GatewayMetrics;
import io.tollgate.persistence.budget.Demand;
import java.util.concurrent.CompletionStage;

/** Reserves a call's worst case against the caller's budgets before anything is sent upstream. */
final class Admitter {
  private final LeaseBook leases;
  private final GatewayMetrics metrics;

  Admitter(LeaseBook leases, GatewayMetrics metrics) {
    this.leases = leases;
    this.metrics = metrics;
  }

  /** Completes once admitted (recording the admission on the context); fails with a budget rejection. */
  CompletionStage<Void> admit(CallContext ctx, Demand worstCase) {
    return Stages.plain(leases.admit(ctx.caller().tenantId(), ctx.caller().keyId(), ctx.caller().team(), worstCase))
        .thenAccept(admission -> {
          ctx.admitted(admission);
          BudgetUtilisation.of(admission).ifPresent(used -> metrics.recordBudgetUtilisation(ctx.caller().tenantId(), used));
        });
  }
}
