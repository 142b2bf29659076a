package io.tollgate.node.budget;

import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.budget.LimitStatus;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One lease this node holds for a key: what is left of it locally, requests in flight on it, and
 * the usage waiting to be settled. Every field is guarded by the owning {@link KeyLease}.
 */
final class LeaseSlot {
  final String leaseId;
  final boolean unlimited;
  final List<LimitStatus> status;
  /** The entity's lease lifetime as seen at the grant (a lower bound when a window capped it). */
  final long ttlMillis;
  /** The first end of a window the lease holds: a renewal never reaches past it. */
  final long windowEndMillis;
  /** The time that chose the lease's windows: its admissions count from then on. */
  final long grantedAtMillis;
  /** This node's monotonic time when the lease was asked for, which {@link #grantedAtMillis} maps to. */
  private final long anchorNanos;

  long expiresAtMillis;
  private long usd;
  private long tokens;
  private long requests;
  int inFlight;
  long lastUsedNanos;
  boolean retired;
  boolean closed;
  Demand pending = Demand.ZERO;
  long seq;
  /** A batch whose send failed: it is sent again, unchanged (same seq), before anything new. */
  SettleBatch retry;
  /** Completes when the batch being sent is acked or has failed; null when none is being sent. */
  CompletableFuture<Void> sending;

  LeaseSlot(String leaseId, boolean unlimited, Demand amounts, List<LimitStatus> status, long grantedAtMillis,
      long anchorNanos, long expiresAtMillis, long nowNanos) {
    this.leaseId = leaseId;
    this.unlimited = unlimited;
    this.status = status;
    this.usd = amounts.usdMicros();
    this.tokens = amounts.tokens();
    this.requests = amounts.requests();
    this.expiresAtMillis = expiresAtMillis;
    this.ttlMillis = Math.max(0, expiresAtMillis - grantedAtMillis);
    this.grantedAtMillis = grantedAtMillis;
    this.anchorNanos = anchorNanos;
    long end = Long.MAX_VALUE;
    for (LimitStatus s : status) {
      Instant reset = s.resetsAt();
      if (reset != null) {
        end = Math.min(end, reset.toEpochMilli());
      }
    }
    this.windowEndMillis = end;
    this.lastUsedNanos = nowNanos;
  }

  /**
   * The entity's time now, by the grant's time plus this node's monotonic time since the request:
   * expiries and windows are the entity's, so a node whose own clock is off neither admits past an
   * expiry nor gives up a lease early. Never earlier than the entity's true time (the grant came
   * after the request), so an expiry is seen early, never late.
   */
  long entityMillis(long nowNanos) {
    return grantedAtMillis + Math.floorDiv(nowNanos - anchorNanos, 1_000_000L);
  }

  /** When an admission at {@code nowMillis} (the entity's time) counts: within the lease's windows, so audit and ledger agree on them. */
  Instant admissionTime(long nowMillis) {
    long latest = Math.max(grantedAtMillis, Math.min(expiresAtMillis, windowEndMillis) - 1);
    return Instant.ofEpochMilli(Math.min(Math.max(nowMillis, grantedAtMillis), latest));
  }

  boolean covers(Demand d) {
    return fits(usd, d.usdMicros()) && fits(tokens, d.tokens()) && fits(requests, d.requests());
  }

  void take(Demand d) {
    usd = minus(usd, d.usdMicros());
    tokens = minus(tokens, d.tokens());
    requests = minus(requests, d.requests());
  }

  /** Returns {@code reserved − actual} (negative when the request used more than it reserved). */
  void giveBack(Demand reserved, Demand actual) {
    usd = minus(usd, actual.usdMicros() - reserved.usdMicros());
    tokens = minus(tokens, actual.tokens() - reserved.tokens());
    requests = minus(requests, actual.requests() - reserved.requests());
  }

  Demand remaining() {
    return new Demand(usd, tokens, requests);
  }

  /** The renewed expiry after a settlement sent at {@code sentAtMillis} (the entity's time) was acked with the lease open. */
  void renewed(long sentAtMillis) {
    long candidate = Math.min(sentAtMillis + ttlMillis, windowEndMillis);
    expiresAtMillis = Math.max(expiresAtMillis, candidate);
  }

  private static boolean fits(long left, long wanted) {
    return left == Long.MAX_VALUE || left >= wanted;
  }

  /** {@code left − amount}, where {@link Long#MAX_VALUE} means "not limited" and stays so. */
  private static long minus(long left, long amount) {
    if (left == Long.MAX_VALUE) {
      return left;
    }
    long r = left - amount;
    return r == Long.MAX_VALUE ? Long.MAX_VALUE - 1 : r;
  }
}
