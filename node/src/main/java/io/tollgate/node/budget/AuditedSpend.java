package io.tollgate.node.budget;

import io.tollgate.persistence.budget.Demand;
import java.util.concurrent.CompletionStage;

/**
 * What the audit records of one lease add up to: the sum of their {@code cost_micros}, of their
 * input plus output tokens, and their count. The audit store implements it once its records carry
 * the lease id; the {@link LeaseReconciler} uses it for leases whose node went away.
 */
@FunctionalInterface
public interface AuditedSpend {
  CompletionStage<Demand> spentUnder(String tenantId, String leaseId);
}
