package io.tollgate.node.budget;

import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.budget.LeaseGrant;
import java.time.Instant;
import io.tollgate.persistence.budget.SettleAck;
import io.tollgate.persistence.budget.TenantBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Everything one node holds for one key (tenant, key, team): the active lease requests are
 * admitted from, retired leases still waiting for in-flight requests or their closing settlement,
 * the lease request in flight, the key's recent spend rate, and the batches of calls admitted under
 * the overdraft that are not settled yet. All state is guarded by this object's monitor; no method waits
 * for anything while holding it.
 */
final class KeyLease {
  final String tenantId;
  final String keyId;
  final String team;
  final TenantView tenant;

  private LeaseSlot active;
  private final List<LeaseSlot> retired = new ArrayList<>(2);
  private Acquisition acquiring;
  private final SpendRate rate = new SpendRate();
  private final List<OverdraftBatch> overdrafts = new ArrayList<>(1);
  /**
   * A lease request of this key failed (e.g. timed out): the entity may have granted a lease this
   * node never got. Cleared by the next request (which names the held leases) or a release.
   */
  private long unheldChecks;
  private boolean unheldSending;
  private long touchedNanos;
  private boolean removed;

  KeyLease(String tenantId, String keyId, String team, TenantView tenant, long nowNanos) {
    this.tenantId = tenantId;
    this.keyId = keyId;
    this.team = team;
    this.tenant = tenant;
    this.touchedNanos = nowNanos;
  }

  /** What {@link #admitOrAcquire} decided: admitted, wait for a running acquisition, or start one. */
  record Attempt(Admission admitted, Acquisition join, Acquisition start, boolean removed) {}

  /** What the settler must send for one lease. */
  record Send(LeaseSlot slot, SettleBatch batch) {}

  /** Which settlements a settler pass sends. */
  enum Pass {
    /** The periodic pass: usage, renewals near expiry, and closes of idle, expiring or retired leases. */
    TICK,
    /** Before asking for a new lease: close the retired leases that nothing is in flight on. */
    RETURN_RETIRED,
    /** Shutdown: close every lease nothing is in flight on, send the usage of the others. */
    SHUTDOWN
  }

  /** The hot path: admit from the active lease when it covers {@code d}, else join or start a lease request. */
  synchronized Attempt admitOrAcquire(Demand d, long nowNanos, LeaseBookSettings settings) {
    if (removed) {
      return new Attempt(null, null, null, true);
    }
    touchedNanos = nowNanos;
    LeaseSlot s = active;
    if (s != null && s.entityMillis(nowNanos) < s.expiresAtMillis - settings.settleInterval().toMillis()
        && s.covers(d)) {
      return new Attempt(admitFrom(s, d, nowNanos), null, null, false);
    }
    if (acquiring != null) {
      return new Attempt(null, acquiring, null, false);
    }
    // The active lease cannot serve this request: retire it so its remainder goes back to the
    // entity (once nothing is in flight on it) before the next lease is asked for.
    retireActive();
    acquiring = new Acquisition(d, want(d, nowNanos, settings.wantSeconds()));
    return new Attempt(null, null, acquiring, false);
  }

  /**
   * A call admitted under the overdraft at {@code now} (this node's clock) joins the batch of that
   * minute; null when this key was removed (use the one that replaced it).
   */
  synchronized OverdraftBatch admitOverdraft(long nowNanos, Instant now) {
    if (removed) {
      return null;
    }
    touchedNanos = nowNanos;
    OverdraftBatch open = overdrafts.isEmpty() ? null : overdrafts.get(overdrafts.size() - 1);
    if (open == null || open.sealed || open.minute != OverdraftBatch.minuteOf(now)) {
      open = new OverdraftBatch(now);
      overdrafts.add(open);
    }
    open.inFlight++;
    return open;
  }

  /**
   * The overdraft batches to settle now: every one whose calls have all ended and whose minute is
   * over (any minute when {@code all}, at shutdown), sealed so no call joins it any more and marked
   * as sending until {@link #overdraftSent}; those with nothing spent are dropped instead. So a key
   * has at most one batch per minute of an outage.
   */
  synchronized List<OverdraftBatch> overdraftsToSend(Instant now, boolean all) {
    long minute = OverdraftBatch.minuteOf(now);
    List<OverdraftBatch> due = new ArrayList<>(overdrafts.size());
    for (OverdraftBatch b : new ArrayList<>(overdrafts)) {
      if (b.inFlight > 0 || b.sending || (!all && !b.sealed && b.minute >= minute)) {
        continue;
      }
      b.sealed = true;
      if (b.spent.equals(Demand.ZERO)) {
        overdrafts.remove(b);
      } else {
        b.sending = true;
        due.add(b);
      }
    }
    return due;
  }

  /** An overdraft batch's settlement was acked (it is done) or failed (it is sent again). */
  synchronized void overdraftSent(OverdraftBatch b, boolean acked) {
    b.sending = false;
    if (acked) {
      overdrafts.remove(b);
    }
  }

  /** Installs a granted lease and admits the request that asked for it. */
  synchronized Admission granted(Acquisition acq, LeaseGrant grant, long nowNanos) {
    if (acquiring == acq) {
      acquiring = null;
    }
    retireActive();
    boolean unlimited = grant.leaseId().startsWith(TenantBudget.UNLIMITED_LEASE_PREFIX);
    Instant grantedAt = grant.grantedAt() != null ? grant.grantedAt() : acq.sentAt;
    LeaseSlot s = new LeaseSlot(grant.leaseId(), unlimited, grant.amounts(), grant.status(),
        grantedAt.toEpochMilli(), acq.sentNanos, grant.expiresAt().toEpochMilli(), nowNanos);
    active = s;
    return acq.demand == null ? null : admitFrom(s, acq.demand, nowNanos);
  }

  synchronized void acquisitionEnded(Acquisition acq) {
    if (acquiring == acq) {
      acquiring = null;
    }
  }

  /** A lease request got no answer: a grant may be lost on the way. */
  synchronized void mayHoldUnknownLease() {
    unheldChecks++;
  }

  /** The check to send now (its generation), or -1: one is due when a request failed and none is running. */
  synchronized long unheldCheckDue() {
    if (unheldChecks <= 0 || acquiring != null || unheldSending) {
      return -1;
    }
    unheldSending = true;
    return unheldChecks;
  }

  /** The check of {@code generation} ended; when {@code released}, the entity holds nothing this key does not. */
  synchronized void unheldChecked(long generation, boolean released) {
    unheldSending = false;
    if (released && unheldChecks == generation) {
      unheldChecks = 0;
    }
  }

  /** A finished request: the unused part returns to its lease, the actual usage waits for the next batch. */
  synchronized void settled(Admission a, Demand actual, long nowNanos) {
    touchedNanos = nowNanos;
    if (a.overdraftBatch != null) {
      a.overdraftBatch.inFlight--;
      a.overdraftBatch.spent = a.overdraftBatch.spent.plus(actual);
      return;
    }
    LeaseSlot s = a.slot;
    s.inFlight--;
    s.lastUsedNanos = nowNanos;
    if (!s.unlimited) {
      s.giveBack(a.reserved(), actual);
      s.pending = s.pending.plus(actual);
    }
  }

  /**
   * The settlements to send now for {@code pass}; each returned lease is marked as sending until
   * {@link #acked} or {@link #failed}.
   */
  synchronized List<Send> batches(Pass pass, long nowNanos, LeaseBookSettings settings) {
    List<Send> sends = new ArrayList<>(2);
    if (active != null) {
      batchFor(active, pass, nowNanos, settings, sends);
    }
    for (LeaseSlot s : new ArrayList<>(retired)) {
      batchFor(s, pass, nowNanos, settings, sends);
    }
    for (Send send : sends) {
      send.slot().sending = new CompletableFuture<>();
    }
    return sends;
  }

  private void batchFor(LeaseSlot s, Pass pass, long nowNanos, LeaseBookSettings settings, List<Send> sends) {
    boolean nearExpiry = s.entityMillis(nowNanos) >= s.expiresAtMillis - settings.expiryMargin().toMillis();
    if (s.unlimited) {
      // Nothing of an unlimited lease is tracked by the entity: it is simply dropped.
      if (s.retired || nearExpiry || pass == Pass.SHUTDOWN) {
        drop(s);
      }
      return;
    }
    if (s.sending != null || s.closed) {
      return;
    }
    if (s.retry != null) {
      sends.add(new Send(s, s.retry));
      s.retry = null;
      return;
    }
    boolean drained = s.inFlight <= 0;
    boolean idle = nowNanos - s.lastUsedNanos >= settings.idleReturn().toNanos();
    boolean close = drained && switch (pass) {
      case TICK -> s.retired || idle || nearExpiry;
      case RETURN_RETIRED -> s.retired;
      case SHUTDOWN -> true;
    };
    boolean renew = !close && pass == Pass.TICK && nearExpiry && s.windowEndMillis > s.expiresAtMillis;
    boolean usage = !s.pending.equals(Demand.ZERO) && pass != Pass.RETURN_RETIRED;
    if (!close && !renew && !usage) {
      return;
    }
    if (close) {
      retire(s);
    }
    sends.add(new Send(s, new SettleBatch(++s.seq, s.pending, close)));
    s.pending = Demand.ZERO;
  }

  /** The entity acked a batch sent at {@code sentNanos}; true when the lease is now closed. */
  synchronized boolean acked(LeaseSlot s, SettleBatch b, SettleAck ack, long sentNanos) {
    if (b.close()) {
      s.closed = true;
      drop(s);
      return true;
    }
    if (ack.open()) {
      s.renewed(s.entityMillis(sentNanos));
    } else {
      // Expired or closed on the entity: admit no more from it; what is in flight still settles.
      retire(s);
    }
    return false;
  }

  /** A batch could not be delivered: it is sent again, unchanged, on the next pass. */
  synchronized void failed(LeaseSlot s, SettleBatch b) {
    s.retry = b;
  }

  /** The sends in flight of retired leases (a new lease is asked for once they are answered). */
  synchronized List<CompletableFuture<Void>> retiredSending() {
    List<CompletableFuture<Void>> busy = new ArrayList<>();
    for (LeaseSlot s : retired) {
      if (s.sending != null && s.inFlight <= 0) {
        busy.add(s.sending);
      }
    }
    return busy;
  }

  /** Retires every lease (shutdown): nothing more is admitted from them. */
  synchronized void retireAll() {
    retireActive();
  }

  /** The tracked leases this key holds (active, or retired and not yet closed). */
  synchronized List<String> heldLeaseIds() {
    List<String> ids = new ArrayList<>(1 + retired.size());
    if (active != null && !active.unlimited && !active.closed) {
      ids.add(active.leaseId);
    }
    for (LeaseSlot s : retired) {
      if (!s.unlimited && !s.closed) {
        ids.add(s.leaseId);
      }
    }
    return ids;
  }

  /** Whether a tracked lease is still held, or overdraft usage still waits to be settled. */
  synchronized boolean holdsAnything() {
    if (!overdrafts.isEmpty()) {
      return true;
    }
    if (active != null && !active.unlimited) {
      return true;
    }
    for (LeaseSlot s : retired) {
      if (!s.unlimited && !s.closed) {
        return true;
      }
    }
    return false;
  }

  /** Marks this key removed when it has held nothing for {@code idleNanos}; true when removed. */
  synchronized boolean removeIfIdle(long nowNanos, long idleNanos) {
    if (active == null && retired.isEmpty() && acquiring == null && overdrafts.isEmpty() && unheldChecks == 0
        && nowNanos - touchedNanos >= idleNanos) {
      removed = true;
    }
    return removed;
  }

  private Admission admitFrom(LeaseSlot s, Demand d, long nowNanos) {
    s.take(d);
    s.inFlight++;
    s.lastUsedNanos = nowNanos;
    rate.add(d, nowNanos);
    return Admission.fromLease(this, s, d, s.admissionTime(s.entityMillis(nowNanos)));
  }

  /** A lease sized for {@code wantSeconds} of the recent spend rate, and at least four of this request. */
  private Demand want(Demand d, long nowNanos, long wantSeconds) {
    Demand recent = rate.over(wantSeconds, nowNanos);
    return new Demand(
        Math.max(times4(d.usdMicros()), recent.usdMicros()),
        Math.max(times4(d.tokens()), recent.tokens()),
        Math.max(times4(d.requests()), recent.requests()));
  }

  private static long times4(long v) {
    return v > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : v * 4;
  }

  private void retireActive() {
    if (active != null) {
      retire(active);
    }
  }

  private void retire(LeaseSlot s) {
    s.retired = true;
    if (active == s) {
      active = null;
    }
    if (!retired.contains(s)) {
      retired.add(s);
    }
  }

  private void drop(LeaseSlot s) {
    s.retired = true;
    if (active == s) {
      active = null;
    }
    retired.remove(s);
  }
}
