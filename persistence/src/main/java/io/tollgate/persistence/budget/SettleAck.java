package io.tollgate.persistence.budget;

import io.tollgate.persistence.CborSerializable;

/**
 * The answer to {@code Settle} and {@code ReconcileLease}.
 *
 * @param open whether the lease is still open (false after close, reconciliation, or for an
 *     unknown lease)
 * @param late the settlement reached a lease that had been closed already (its spend was counted
 *     from the tombstone); nodes count these
 */
public record SettleAck(String leaseId, boolean open, boolean late) implements CborSerializable {

  public SettleAck(String leaseId, boolean open) {
    this(leaseId, open, false);
  }

  static SettleAck late(String leaseId) {
    return new SettleAck(leaseId, false, true);
  }
}
