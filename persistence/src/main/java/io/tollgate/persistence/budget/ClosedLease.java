package io.tollgate.persistence.budget;

import io.tollgate.persistence.CborSerializable;
import java.time.Instant;
import java.util.List;

/**
 * What the entity remembers of a closed lease for a while, so a settlement arriving after it was
 * closed (a node thought gone that was not) is still counted, and counted once.
 *
 * @param windows the windows the lease held: late spend goes into these
 * @param expiresAt the lease's last expiry (tombstones are dropped some time after it)
 * @param settled what its node settled, per dimension
 * @param covered what the ledger got for it, per dimension: at least {@code settled}, more when it
 *     was closed from audit records showing more
 * @param lastSettleSeq the last settlement applied
 * @param reconciled closed from its audit records rather than by its node (kept longer: its node
 *     may not have been gone after all)
 */
public record ClosedLease(
    String leaseId, List<WindowKey> windows, Instant expiresAt, Demand settled, Demand covered, long lastSettleSeq,
    boolean reconciled)
    implements CborSerializable {

  public ClosedLease {
    windows = windows == null ? List.of() : List.copyOf(windows);
    settled = settled == null ? Demand.ZERO : settled;
    covered = covered == null ? Demand.ZERO : covered;
  }

  /** The part of a late settlement of {@code spent} the ledger has not counted yet, per dimension. */
  Demand excessOf(Demand spent) {
    Demand excess = Demand.ZERO;
    for (Dimension d : Dimension.values()) {
      excess = excess.with(d, Math.max(0, d.of(settled) + d.of(spent) - d.of(covered)));
    }
    return excess;
  }

  /** After a late settlement of {@code spent} whose {@code excess} went into the ledger. */
  ClosedLease lateSettled(long seq, Demand spent, Demand excess) {
    return new ClosedLease(leaseId, windows, expiresAt, settled.plus(spent), covered.plus(excess),
        Math.max(seq, lastSettleSeq), reconciled);
  }

  /** This tombstone with its windows renamed by {@code moves}. */
  ClosedLease withWindowsMoved(java.util.Map<WindowKey, WindowKey> moves) {
    return new ClosedLease(leaseId, windows.stream().map(w -> moves.getOrDefault(w, w)).toList(), expiresAt, settled,
        covered, lastSettleSeq, reconciled);
  }
}
