package io.tollgate.persistence.circuit;

import java.time.Duration;
import java.time.Instant;

/**
 * Calls, failures and slow calls of the last {@code window}, in {@value #BUCKETS} time buckets
 * (so the window slides in steps of a tenth of its length). In memory only: owned by one entity
 * and never shared.
 */
final class OutcomeWindow {
  static final int BUCKETS = 10;

  /** The sums over the window. */
  record Totals(long calls, long failures, long slow) {}

  private final long bucketMillis;
  private final long[] bucketIndex = new long[BUCKETS];
  private final long[] calls = new long[BUCKETS];
  private final long[] failures = new long[BUCKETS];
  private final long[] slow = new long[BUCKETS];

  OutcomeWindow(Duration window) {
    this.bucketMillis = Math.max(1, window.toMillis() / BUCKETS);
    clear();
  }

  void add(Instant now, long callCount, long failureCount, long slowCount) {
    long index = now.toEpochMilli() / bucketMillis;
    int slot = (int) Math.floorMod(index, (long) BUCKETS);
    if (bucketIndex[slot] != index) {
      bucketIndex[slot] = index;
      calls[slot] = 0;
      failures[slot] = 0;
      slow[slot] = 0;
    }
    calls[slot] += callCount;
    failures[slot] += failureCount;
    slow[slot] += slowCount;
  }

  Totals totals(Instant now) {
    long current = now.toEpochMilli() / bucketMillis;
    long c = 0;
    long f = 0;
    long s = 0;
    for (int i = 0; i < BUCKETS; i++) {
      if (bucketIndex[i] > current - BUCKETS && bucketIndex[i] <= current) {
        c += calls[i];
        f += failures[i];
        s += slow[i];
      }
    }
    return new Totals(c, f, s);
  }

  void clear() {
    for (int i = 0; i < BUCKETS; i++) {
      bucketIndex[i] = Long.MIN_VALUE;
      calls[i] = 0;
      failures[i] = 0;
      slow[i] = 0;
    }
  }
}
