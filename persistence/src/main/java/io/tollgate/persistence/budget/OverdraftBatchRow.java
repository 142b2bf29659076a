package io.tollgate.persistence.budget;

import java.time.Instant;

/**
 * One overdraft batch as its node registered it (table {@code overdraft_batches}): the lease id its
 * calls carry, the node incarnation that admitted them ({@link LeaseOwners#idOf}), their key and
 * team, and when the batch began (its minute is the batch's window).
 */
public record OverdraftBatchRow(String batchId, String owner, String keyId, String team, Instant admittedAt) {}
