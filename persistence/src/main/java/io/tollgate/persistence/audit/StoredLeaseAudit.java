package io.tollgate.persistence.audit;

import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.budget.LeaseAudit;
import io.tollgate.persistence.budget.OverdraftBatchRow;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The lease audit the budget entities read, from Cassandra: a gone node's lease (or overdraft
 * batch) from its {@code calls_by_lease} partition (finished calls at their final cost, calls that
 * never finished at their worst case, their missing audit records written first), and the tenant's
 * overdraft batches from {@code overdraft_batches}.
 */
public final class StoredLeaseAudit implements LeaseAudit {
  private final AuditStore audit;
  private final OverdraftBatchTable overdrafts;

  public StoredLeaseAudit(AuditStore audit, OverdraftBatchTable overdrafts) {
    this.audit = audit;
    this.overdrafts = overdrafts;
  }

  @Override
  public CompletionStage<Demand> spentUnder(String tenantId, String leaseId) {
    return audit.leaseSpend(tenantId, leaseId).thenApply(t -> new Demand(t.costMicros(), t.tokens(), t.calls()));
  }

  @Override
  public CompletionStage<List<OverdraftBatchRow>> unsettledOverdrafts(String tenantId) {
    return overdrafts.unsettled(tenantId);
  }

  @Override
  public CompletionStage<Void> overdraftSettled(String tenantId, String batchId) {
    return overdrafts.markSettled(tenantId, batchId);
  }
}
