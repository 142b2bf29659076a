package io.tollgate.persistence.budget;

import io.tollgate.persistence.CborSerializable;
import java.time.Instant;

/**
 * One limit in its current window.
 *
 * @param windowEnd null for LIFETIME
 * @param spent settled spend (the ledger)
 * @param held capacity held by open leases and the unsettled part of expired leases
 * @param available {@code limit - spent - held} (negative when actual usage passed the limit)
 */
public record SpendLine(
    String scope,
    LimitKind kind,
    Period period,
    Instant windowStart,
    Instant windowEnd,
    long limit,
    long spent,
    long held,
    long available)
    implements CborSerializable {}
