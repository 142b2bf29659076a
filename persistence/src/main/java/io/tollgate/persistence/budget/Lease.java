package io.tollgate.persistence.budget;

import io.tollgate.persistence.CborSerializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A slice of capacity granted to one node for one key. What it has settled already moved into the
 * ledger; it holds {@code granted - settled} per window.
 */
public record Lease(
    String leaseId,
    String nodeId,
    String keyId,
    String team,
    Instant grantedAt,
    Instant expiresAt,
    Map<WindowKey, Long> granted,
    Map<WindowKey, Long> settled,
    long lastSettleSeq)
    implements CborSerializable {

  public Lease {
    granted = granted == null ? Map.of() : Map.copyOf(granted);
    settled = settled == null ? Map.of() : Map.copyOf(settled);
  }

  /** What this lease still holds in {@code window}. */
  public long held(WindowKey window) {
    Long g = granted.get(window);
    if (g == null) {
      return 0;
    }
    return Math.max(0, g - settled.getOrDefault(window, 0L));
  }

  /** The amount of {@code dimension} settled so far (the same in every window of the dimension). */
  public long settledOf(Dimension dimension) {
    long max = 0;
    for (Map.Entry<WindowKey, Long> e : settled.entrySet()) {
      if (e.getKey().kind().dimension() == dimension) {
        max = Math.max(max, e.getValue());
      }
    }
    return max;
  }

  /** This lease after settling {@code spent} with sequence number {@code seq}. */
  public Lease settle(long seq, Demand spent) {
    Map<WindowKey, Long> next = new HashMap<>(settled);
    for (WindowKey window : granted.keySet()) {
      long amount = window.kind().of(spent);
      next.merge(window, amount, Long::sum);
    }
    return new Lease(leaseId, nodeId, keyId, team, grantedAt, expiresAt, granted, next, Math.max(seq, lastSettleSeq));
  }

  /** Everything this lease settled, per dimension. */
  public Demand settledTotal() {
    return new Demand(settledOf(Dimension.USD), settledOf(Dimension.TOKENS), settledOf(Dimension.REQUESTS));
  }

  /** The tombstone of this lease closed by its node. */
  ClosedLease closedByNode() {
    Demand settledTotal = settledTotal();
    return new ClosedLease(leaseId, List.copyOf(granted.keySet()), expiresAt, settledTotal, settledTotal,
        lastSettleSeq, false);
  }

  /** The tombstone of this lease closed from its audit records, which showed {@code extra} beyond what it settled. */
  ClosedLease closedFromAudit(Demand extra) {
    Demand settledTotal = settledTotal();
    return new ClosedLease(leaseId, List.copyOf(granted.keySet()), expiresAt, settledTotal, settledTotal.plus(extra),
        lastSettleSeq, true);
  }

  /** This lease with its windows renamed by {@code moves} (a time zone change). */
  Lease withWindowsMoved(Map<WindowKey, WindowKey> moves) {
    return new Lease(leaseId, nodeId, keyId, team, grantedAt, expiresAt, WindowMoves.rekey(granted, moves),
        WindowMoves.rekey(settled, moves), lastSettleSeq);
  }

  public Lease withExpiresAt(Instant at) {
    return new Lease(leaseId, nodeId, keyId, team, grantedAt, at, granted, settled, lastSettleSeq);
  }
}
