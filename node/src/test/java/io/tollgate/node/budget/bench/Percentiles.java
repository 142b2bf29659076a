package io.tollgate.node.budget.bench;

import java.util.Arrays;

/**
 * Nearest-rank percentiles of per-call latencies, in microseconds.
 *
 * @param p50 median
 * @param p90 90th percentile
 * @param p99 99th percentile
 * @param p999 99.9th percentile
 * @param max slowest call
 */
record Percentiles(double p50, double p90, double p99, double p999, double max) {

  /** Sorts the first {@code n} values of {@code nanos} in place; NaN everywhere when there are none. */
  static Percentiles of(long[] nanos, int n) {
    if (n == 0) {
      return new Percentiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    Arrays.sort(nanos, 0, n);
    return new Percentiles(at(nanos, n, 50), at(nanos, n, 90), at(nanos, n, 99), at(nanos, n, 99.9),
        nanos[n - 1] / 1000.0);
  }

  private static double at(long[] sorted, int n, double p) {
    // the epsilon keeps 99.9 % of 1000 at rank 999 despite binary floating point
    int rank = (int) Math.ceil(p / 100.0 * n - 1e-9);
    return sorted[Math.max(0, Math.min(n - 1, rank - 1))] / 1000.0;
  }
}
