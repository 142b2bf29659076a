package io.tollgate.persistence.budget;

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

  /** No audit to read: a lease of a node that is gone stays held (fail closed) until one is given. */
  LeaseAudit UNAVAILABLE = (tenantId, leaseId) ->
      CompletableFuture.failedFuture(new IllegalStateException("no lease audit on this node"));
}
