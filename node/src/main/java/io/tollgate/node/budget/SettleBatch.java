package io.tollgate.node.budget;

import io.tollgate.persistence.budget.Demand;

/**
 * One settlement of a lease: the usage since the previous one, under an increasing {@code seq} (a
 * repeat is ignored by the entity, so a failed send is repeated unchanged).
 *
 * @param overdraftUsd the part of {@code spent} admitted under the tenant's overdraft; released
 *     from the overdraft once acked
 */
record SettleBatch(long seq, Demand spent, boolean close, long overdraftUsd) {}
