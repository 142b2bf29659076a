package io.tollgate.persistence.budget;

import io.tollgate.persistence.CborSerializable;

/**
 * The answer to {@code Settle} and {@code ReconcileLease}.
 *
 * @param open whether the lease is still open (false after close, reconciliation, or for an
 *     unknown lease)
 */
public record SettleAck(String leaseId, boolean open) implements CborSerializable {}
