package io.tollgate.persistence.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.tollgate.persistence.registry.KeyLookup.Status;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;

/**
 * A node's bounded, read-through memory of API keys by hash. Active keys live in one cache,
 * refusals (unknown or revoked hashes) in another with a short life, so made-up keys can never
 * evict real ones and revoked keys leave memory (they stay refused: the next presentation reads
 * the store again). Misses are read once per hash however many requests wait for it, and at most
 * {@code maxReads} reads run at a time.
 *
 * <p>Changes ({@link KeyChange}) are applied to whatever is cached, and remembered for a while so
 * a read that was already on its way when a key was revoked cannot put the stale active key back.
 * Because a key only moves forward (unknown, active, revoked), the newest of the read and the
 * remembered change wins, whatever order they arrive in.
 */
final class KeyCache {
  private final Cache<String, KeyLookup> active;
  private final Cache<String, KeyLookup> refused;
  private final Cache<String, Status> recentChanges;
  private final ConcurrentHashMap<String, CompletableFuture<KeyLookup>> reading = new ConcurrentHashMap<>();
  private final Function<String, CompletionStage<Optional<KeyInfo>>> store;
  private final int maxReads;

  KeyCache(KeyDirectorySettings settings, Function<String, CompletionStage<Optional<KeyInfo>>> store) {
    this(settings, store, Ticker.systemTicker(), ForkJoinPool.commonPool());
  }

  /** With the clock and the executor of cache maintenance given (tests make both deterministic). */
  KeyCache(KeyDirectorySettings settings, Function<String, CompletionStage<Optional<KeyInfo>>> store, Ticker ticker,
      Executor maintenance) {
    // No expiry on active keys: a clock read and expiry bookkeeping per hit tripled the cost of a hit
    // with a million keys (see BENCHMARKS.md); changes and the change log keep them current instead.
    this.active = Caffeine.newBuilder()
        .maximumSize(settings.maxKeys())
        .ticker(ticker)
        .executor(maintenance)
        .build();
    this.refused = Caffeine.newBuilder()
        .maximumSize(settings.maxRefusals())
        .expireAfterWrite(settings.refusalTtl())
        .ticker(ticker)
        .executor(maintenance)
        .build();
    this.recentChanges = Caffeine.newBuilder()
        .maximumSize(settings.maxRecentChanges())
        .expireAfterWrite(settings.recentChangesTtl())
        .ticker(ticker)
        .executor(maintenance)
        .build();
    this.store = store;
    this.maxReads = settings.maxConcurrentReads();
  }

  /** What memory holds for the hash, or null (the hot path: no allocation, no I/O). */
  KeyLookup cached(String keyHash) {
    KeyLookup hit = active.getIfPresent(keyHash);
    return hit != null ? hit : refused.getIfPresent(keyHash);
  }

  /** The cached answer, else one read of the store shared by every caller asking meanwhile. */
  CompletionStage<KeyLookup> lookup(String keyHash) {
    KeyLookup hit = cached(keyHash);
    if (hit != null) {
      return CompletableFuture.completedFuture(hit);
    }
    CompletableFuture<KeyLookup> pending = reading.get(keyHash);
    if (pending != null) {
      return pending;
    }
    if (reading.size() >= maxReads) {
      return CompletableFuture.failedFuture(new KeyDirectoryBusy());
    }
    CompletableFuture<KeyLookup> mine = new CompletableFuture<>();
    pending = reading.putIfAbsent(keyHash, mine);
    if (pending != null) {
      return pending;
    }
    store.apply(keyHash).whenComplete((found, failure) -> {
      KeyLookup answer = failure == null ? install(keyHash, found) : null;
      reading.remove(keyHash, mine);
      if (failure != null) {
        mine.completeExceptionally(failure);
      } else {
        mine.complete(answer);
      }
    });
    return mine;
  }

  /** Applies a change to what is cached; a hash not cached stays uncached. */
  void apply(KeyChange change) {
    String hash = change.keyHash();
    Status status = change.revoked() ? Status.REVOKED : Status.ACTIVE;
    recentChanges.asMap().merge(hash, status, KeyCache::later);
    if (change.revoked()) {
      boolean wasActive = active.asMap().remove(hash) != null;
      if (wasActive || refused.asMap().containsKey(hash)) {
        refused.put(hash, KeyLookup.REVOKED);
      }
    } else {
      refused.asMap().remove(hash, KeyLookup.UNKNOWN);
    }
  }

  /** Forgets everything (a node too far behind the change log to know what it missed). */
  void clear() {
    active.invalidateAll();
    refused.invalidateAll();
  }

  long activeKeys() {
    active.cleanUp();
    return active.estimatedSize();
  }

  /**
   * Caches what the store answered, unless a change seen meanwhile says more. Every step that
   * caches re-checks the changes afterwards, so a change applied concurrently always wins.
   */
  private KeyLookup install(String hash, Optional<KeyInfo> found) {
    Status changed = recentChanges.getIfPresent(hash);
    if (found.isEmpty()) {
      if (changed != null) {
        // Created (or revoked) after this read started: the store will say so next time.
        return changed == Status.REVOKED ? KeyLookup.REVOKED : KeyLookup.UNKNOWN;
      }
      refused.put(hash, KeyLookup.UNKNOWN);
      if (recentChanges.getIfPresent(hash) != null) {
        refused.asMap().remove(hash, KeyLookup.UNKNOWN);
      }
      return KeyLookup.UNKNOWN;
    }
    KeyLookup read = KeyLookup.of(found.get());
    if (!read.active() || changed == Status.REVOKED) {
      refused.put(hash, KeyLookup.REVOKED);
      return KeyLookup.REVOKED;
    }
    active.put(hash, read);
    if (recentChanges.getIfPresent(hash) == Status.REVOKED) {
      active.invalidate(hash);
      refused.put(hash, KeyLookup.REVOKED);
      return KeyLookup.REVOKED;
    }
    return read;
  }

  private static Status later(Status a, Status b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
