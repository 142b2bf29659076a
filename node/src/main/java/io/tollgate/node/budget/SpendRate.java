package io.tollgate.node.budget;

import io.tollgate.persistence.budget.Demand;

/**
 * What one key admitted in the last ten seconds, in one-second buckets; sizes the next lease.
 * Not thread-safe: guarded by its {@link KeyLease}.
 */
final class SpendRate {
  private static final int BUCKETS = 10;
  private final long[] second = new long[BUCKETS];
  private final long[] usd = new long[BUCKETS];
  private final long[] tokens = new long[BUCKETS];
  private final long[] requests = new long[BUCKETS];

  void add(Demand d, long nowNanos) {
    long sec = nowNanos / 1_000_000_000L;
    int i = (int) Math.floorMod(sec, (long) BUCKETS);
    if (second[i] != sec) {
      second[i] = sec;
      usd[i] = 0;
      tokens[i] = 0;
      requests[i] = 0;
    }
    usd[i] = sat(usd[i] + d.usdMicros());
    tokens[i] = sat(tokens[i] + d.tokens());
    requests[i] = sat(requests[i] + d.requests());
  }

  /** The last ten seconds' admissions scaled to {@code seconds}. */
  Demand over(long seconds, long nowNanos) {
    long sec = nowNanos / 1_000_000_000L;
    long u = 0;
    long t = 0;
    long r = 0;
    for (int i = 0; i < BUCKETS; i++) {
      if (sec - second[i] < BUCKETS && second[i] <= sec) {
        u = sat(u + usd[i]);
        t = sat(t + tokens[i]);
        r = sat(r + requests[i]);
      }
    }
    return new Demand(scale(u, seconds), scale(t, seconds), scale(r, seconds));
  }

  private static long scale(long tenSeconds, long seconds) {
    return Math.multiplyHigh(tenSeconds, seconds) != 0 ? Long.MAX_VALUE : sat(tenSeconds * seconds) / BUCKETS;
  }

  private static long sat(long v) {
    return v < 0 ? Long.MAX_VALUE : v;
  }
}
