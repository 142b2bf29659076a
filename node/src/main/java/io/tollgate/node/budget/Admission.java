package io.tollgate.node.budget;

import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.budget.LimitStatus;
import io.tollgate.persistence.budget.OverdraftBatchRow;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One admitted request: the lease it was admitted from and what it reserved. Pass it back to
 * {@link LeaseBook#settle} exactly once when the call has finished (a second settle is ignored).
 */
public final class Admission {
  private final String leaseId;
  private final Demand reserved;
  private final List<LimitStatus> status;
  private final Demand leaseRemaining;
  private final boolean overdraft;
  private final Instant admittedAt;
  final KeyLease key;
  final LeaseSlot slot;
  final OverdraftBatch overdraftBatch;
  private final AtomicBoolean settled = new AtomicBoolean();

  private Admission(String leaseId, Demand reserved, List<LimitStatus> status, Demand leaseRemaining,
      boolean overdraft, Instant admittedAt, KeyLease key, LeaseSlot slot, OverdraftBatch overdraftBatch) {
    this.admittedAt = admittedAt;
    this.leaseId = leaseId;
    this.reserved = reserved;
    this.status = status;
    this.leaseRemaining = leaseRemaining;
    this.overdraft = overdraft;
    this.key = key;
    this.slot = slot;
    this.overdraftBatch = overdraftBatch;
  }

  static Admission fromLease(KeyLease key, LeaseSlot slot, Demand reserved, Instant at) {
    return new Admission(slot.leaseId, reserved, slot.status, slot.remaining(), false, at, key, slot, null);
  }

  /** A tenant without any limits: nothing is reserved anywhere. */
  static Admission unlimited(Demand reserved, Instant at) {
    return new Admission(null, reserved, List.of(), null, false, at, null, null, null);
  }

  /**
   * Admitted under the tenant's fail-open overdraft while its entity could not be reached: its audit
   * record names the overdraft batch as its lease.
   */
  static Admission overdraft(KeyLease key, OverdraftBatch batch, Demand reserved, Instant at) {
    return new Admission(batch.id, reserved, List.of(), null, true, at, key, null, batch);
  }

  /**
   * When the call was admitted, as the windows of its limits count it (within its lease's windows):
   * its audit record carries this time, so per-minute and daily audit totals match the ledger.
   */
  public Instant admittedAt() {
    return admittedAt;
  }

  /**
   * The lease this request was admitted from, for the audit record (an overdraft batch's id for an
   * overdraft admission); null for a tenant without limits.
   */
  public String leaseId() {
    return leaseId;
  }

  /** The worst case reserved at admission. */
  public Demand reserved() {
    return reserved;
  }

  /** The applicable limits as reported with the lease (for headers). */
  public List<LimitStatus> status() {
    return status;
  }

  /**
   * The overdraft batch this request joined, as registered for its tenant's entity (owner: this
   * node's incarnation); null when it was not admitted under the overdraft.
   */
  public OverdraftBatchRow overdraftBatch(String owner) {
    return overdraftBatch == null ? null
        : new OverdraftBatchRow(overdraftBatch.id, owner, key.keyId, key.team, overdraftBatch.admittedAt);
  }

  /** Whether this request was admitted under the tenant's fail-open overdraft. */
  public boolean overdraft() {
    return overdraft;
  }

  /** What the lease still held locally right after this admission; null without a lease. */
  Demand leaseRemaining() {
    return leaseRemaining;
  }

  /** True the first time only. */
  boolean markSettled() {
    return settled.compareAndSet(false, true);
  }
}
