package io.tollgate.node.budget;

import io.tollgate.persistence.budget.Demand;

/**
 * One settlement of a lease: the usage since the previous one, under an increasing {@code seq} (a
 * repeat is ignored by the entity, so a failed send is repeated unchanged).
 
 */
record SettleBatch(long seq, Demand spent, boolean close) {}
