package io.tollgate.persistence.tenantadmin;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A small node-local cache of asynchronous lookups: an answer is reused for {@code ttl}, concurrent
 * misses for one key share one load, and a failed load is not kept. When more than
 * {@code maxEntries} keys are held, expired ones are dropped, and if that is not enough, all of
 * them (so made-up keys, such as wrong tokens, cannot grow it without bound).
 */
final class TtlCache<K, V> {
  private record Entry<V>(CompletableFuture<V> value, long expiresAt) {}

  private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
  private final long ttlNanos;
  private final int maxEntries;
  private final LongSupplier nanoClock;

  TtlCache(Duration ttl, int maxEntries, LongSupplier nanoClock) {
    this.ttlNanos = ttl.toNanos();
    this.maxEntries = maxEntries;
    this.nanoClock = nanoClock;
  }

  CompletionStage<V> get(K key, Function<K, CompletionStage<V>> load) {
    long now = nanoClock.getAsLong();
    Entry<V> fresh = new Entry<>(new CompletableFuture<>(), now + ttlNanos);
    Entry<V> winner = entries.compute(key, (k, current) -> usable(current, now) ? current : fresh);
    if (winner != fresh) {
      return winner.value();
    }
    trim(now);
    load.apply(key).whenComplete((value, failure) -> {
      if (failure != null) {
        entries.remove(key, fresh);
        fresh.value().completeExceptionally(failure);
      } else {
        fresh.value().complete(value);
      }
    });
    return fresh.value();
  }

  /** Replaces what is cached for {@code key}, e.g. after this node changed it. */
  void put(K key, V value) {
    entries.put(key, new Entry<>(CompletableFuture.completedFuture(value), nanoClock.getAsLong() + ttlNanos));
  }

  void invalidate(K key) {
    entries.remove(key);
  }

  int size() {
    return entries.size();
  }

  private boolean usable(Entry<V> e, long now) {
    return e != null && now - e.expiresAt() < 0 && !e.value().isCompletedExceptionally();
  }

  private void trim(long now) {
    if (entries.size() <= maxEntries) {
      return;
    }
    entries.entrySet().removeIf(e -> e.getValue().value().isDone() && !usable(e.getValue(), now));
    if (entries.size() > maxEntries) {
      entries.clear();
    }
  }
}
