package io.tollgate.persistence.budget;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the durable records of one lease's calls add up to (cost, input plus output tokens, calls),
 * counting a call that was admitted but never finished at its reserved worst case. The
 * {@link TenantBudget} entity reads it to close the leases of nodes that are gone.
 */
@FunctionalInterface
public interface LeaseAudit {
  CompletionStage<Demand> spentUnder(String tenantId, String leaseId);

  /** The tenant's overdraft batches not yet marked settled (none without an audit). */
  default CompletionStage<List<OverdraftBatchRow>> unsettledOverdrafts(String tenantId) {
    return CompletableFuture.completedFuture(List.of());
  }

  /** Marks a batch settled, so later sweeps skip it (best effort: the entity's tombstone covers a miss). */
  default CompletionStage<Void> overdraftSettled(String tenantId, String batchId) {
    return CompletableFuture.completedFuture(null);
  }

  /** No audit to read: a lease of a node that is gone stays held (fail closed) until one is given. */
  LeaseAudit UNAVAILABLE = (tenantId, leaseId) ->
      CompletableFuture.failedFuture(new IllegalStateException("no lease audit on this node"));
}
