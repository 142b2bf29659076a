package io.tollgate.node.limits;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Counts refused calls per caller (a key id, or a client address) in token buckets: each caller
 * may be refused {@code allowed} times per {@code per}, refilled continuously; past that it is
 * {@linkplain #blocked blocked} until a token is back. Node-local and lock-free; at most
 * {@code maxTracked} callers are tracked, callers whose bucket is full again are forgotten first.
 */
public final class RejectionThrottle {
  private static final long PRUNE_EVERY_NANOS = Duration.ofSeconds(1).toNanos();

  private record Bucket(double tokens, long atNanos) {}

  private final int allowed;
  private final double nanosPerToken;
  private final int maxTracked;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong lastPrune;

  /** {@code allowed} 0 turns this throttle off. */
  public RejectionThrottle(int allowed, Duration per, int maxTracked, LongSupplier nanoClock) {
    if (allowed < 0 || per.isNegative() || per.isZero() || maxTracked < 1) {
      throw new IllegalArgumentException("rejection limits must be positive (0 turns a limit off)");
    }
    this.allowed = allowed;
    this.nanosPerToken = allowed == 0 ? 0 : (double) per.toNanos() / allowed;
    this.maxTracked = maxTracked;
    this.nanoClock = nanoClock;
    this.lastPrune = new AtomicLong(nanoClock.getAsLong() - PRUNE_EVERY_NANOS);
  }

  /** How long {@code caller} must wait before it is served again; empty when it may be served now. */
  public Optional<Duration> blocked(String caller) {
    if (allowed == 0 || caller == null) {
      return Optional.empty();
    }
    Bucket b = buckets.get(caller);
    if (b == null) {
      return Optional.empty();
    }
    double tokens = refilled(b, nanoClock.getAsLong());
    if (tokens >= 1) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos((long) Math.ceil((1 - tokens) * nanosPerToken)));
  }

  /** Counts one refused call of {@code caller}; true when this refusal used up its allowance (it is blocked from now). */
  public boolean rejected(String caller) {
    if (allowed == 0 || caller == null) {
      return false;
    }
    long now = nanoClock.getAsLong();
    if (!buckets.containsKey(caller) && buckets.size() >= maxTracked && !pruned(now)) {
      return false; // full of callers refused recently: this one is not tracked until there is room
    }
    boolean[] usedUp = {false};
    buckets.compute(caller, (id, b) -> {
      double before = b == null ? allowed : refilled(b, now);
      double after = Math.max(0, before - 1);
      usedUp[0] = before >= 1 && after < 1;
      return new Bucket(after, now);
    });
    return usedUp[0];
  }

  /** Forgets the callers whose bucket is full again, at most once a second; whether there is room now. */
  private boolean pruned(long now) {
    long last = lastPrune.get();
    if (now - last >= PRUNE_EVERY_NANOS && lastPrune.compareAndSet(last, now)) {
      buckets.entrySet().removeIf(e -> refilled(e.getValue(), now) >= allowed);
    }
    return buckets.size() < maxTracked;
  }

  private double refilled(Bucket b, long now) {
    return Math.min(allowed, b.tokens() + (now - b.atNanos()) / nanosPerToken);
  }

  /** Callers tracked now. */
  int tracked() {
    return buckets.size();
  }
}
