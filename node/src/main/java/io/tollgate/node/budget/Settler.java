package io.tollgate.node.budget;

import io.tollgate.persistence.budget.SettleAck;
import io.tollgate.persistence.budget.TenantBudget;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends settlements: per lease one batch at a time with an increasing {@code seq}, a failed batch
 * repeated unchanged until it is acked (the entity ignores a seq it has seen). Closing batches
 * return a lease's remainder; non-closing ones renew it.
 */
final class Settler {
  private static final Logger log = LoggerFactory.getLogger(Settler.class);

  private final BudgetEntities entities;
  private final LeaseBookSettings settings;
  private final Clock clock;
  private final Set<String> liveLeases;
  private final AtomicLong late = new AtomicLong();

  Settler(BudgetEntities entities, LeaseBookSettings settings, Clock clock, Set<String> liveLeases) {
    this.entities = entities;
    this.settings = settings;
    this.clock = clock;
    this.liveLeases = liveLeases;
  }

  /** Late settlements since the previous call. */
  long takeLate() {
    return late.getAndSet(0);
  }

  /** The periodic pass over every key. */
  void tick(Collection<KeyLease> keys) {
    for (KeyLease k : keys) {
      send(k, KeyLease.Pass.TICK);
    }
  }

  /**
   * Settles the key's overdraft batches whose calls have all ended and whose minute is over (every
   * one when {@code all}), each into the windows of its admission time; a failed one is sent again
   * on the next pass (the entity counts an id once).
   */
  CompletionStage<Void> sendOverdrafts(KeyLease k, boolean all) {
    List<OverdraftBatch> due = k.overdraftsToSend(clock.instant(), all);
    List<CompletableFuture<SettleAck>> sent = new ArrayList<>(due.size());
    for (OverdraftBatch b : due) {
      sent.add(entities.<SettleAck>ask(k.tenantId, reply -> new TenantBudget.SettleOverdraft(b.id, k.keyId, k.team,
              b.admittedAt, b.spent, reply))
          .whenComplete((ack, failure) -> {
            if (failure != null) {
              log.debug("overdraft {} of key {} not settled yet, sent again: {}", b.id, k.keyId,
                  failure.getClass().getSimpleName());
            }
            k.overdraftSent(b, failure == null);
          })
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).handle((v, e) -> null);
  }

  /** Closes the key's retired leases nothing is in flight on; completes when they are answered (or failed). */
  CompletionStage<Void> returnRetired(KeyLease k) {
    List<CompletableFuture<Void>> busy = k.retiredSending();
    CompletionStage<Void> before = busy.isEmpty()
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.allOf(busy.toArray(CompletableFuture[]::new));
    return before.thenCompose(v -> send(k, KeyLease.Pass.RETURN_RETIRED));
  }

  /** Up to {@code rounds} shutdown passes over every key, until nothing is held. */
  CompletionStage<Void> closeAll(Collection<KeyLease> keys, int rounds) {
    List<KeyLease> holding = new ArrayList<>();
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    for (KeyLease k : keys) {
      k.retireAll();
      if (k.holdsAnything()) {
        holding.add(k);
        pending.addAll(k.retiredSending());
      }
    }
    if (holding.isEmpty() || rounds <= 0) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
        .thenCompose(v -> {
          List<CompletableFuture<Void>> sent = new ArrayList<>();
          for (KeyLease k : holding) {
            sent.add(send(k, KeyLease.Pass.SHUTDOWN));
          }
          return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
        })
        .thenCompose(v -> closeAll(holding, rounds - 1));
  }

  private CompletableFuture<Void> send(KeyLease k, KeyLease.Pass pass) {
    List<KeyLease.Send> sends = k.batches(pass, System.nanoTime(), settings);
    if (sends.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    List<CompletableFuture<Void>> done = new ArrayList<>(sends.size());
    for (KeyLease.Send s : sends) {
      done.add(send(k, s));
    }
    return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
  }

  private CompletableFuture<Void> send(KeyLease k, KeyLease.Send s) {
    LeaseSlot slot = s.slot();
    SettleBatch b = s.batch();
    CompletableFuture<Void> sending = slot.sending;
    Instant now = clock.instant();
    long sentNanos = System.nanoTime();
    entities.<SettleAck>ask(k.tenantId,
            reply -> new TenantBudget.Settle(slot.leaseId, b.seq(), b.spent(), b.close(), now, reply))
        .whenComplete((ack, failure) -> {
          try {
            if (failure != null) {
              log.debug("settlement {} of lease {} not acked, sent again: {}", b.seq(), slot.leaseId,
                  failure.getClass().getSimpleName());
              k.failed(slot, b);
            } else {
              if (ack.late()) {
                late.incrementAndGet();
                log.warn("settlement {} of lease {} arrived after the lease was closed; counted late", b.seq(),
                    slot.leaseId);
              }
              if (k.acked(slot, b, ack, sentNanos)) {
                liveLeases.remove(slot.leaseId);
              }
            }
          } finally {
            synchronized (k) {
              slot.sending = null;
            }
            // Whoever waits for this lease (a new lease request, shutdown) goes on whatever happened.
            sending.complete(null);
          }
        });
    return sending;
  }
}
