package io.tollgate.bench;

import java.util.Arrays;
import java.util.List;

/** Latencies in nanoseconds; nearest-rank percentiles over the sorted samples. Not thread-safe. */
final class LatencySamples {
  private long[] values = new long[1024];
  private int size;

  void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  int size() {
    return size;
  }

  static LatencySamples merge(List<LatencySamples> parts) {
    LatencySamples all = new LatencySamples();
    int total = parts.stream().mapToInt(LatencySamples::size).sum();
    all.values = new long[Math.max(1, total)];
    for (LatencySamples p : parts) {
      System.arraycopy(p.values, 0, all.values, all.size, p.size);
      all.size += p.size;
    }
    Arrays.sort(all.values, 0, all.size);
    return all;
  }

  /** The p-th percentile in milliseconds (samples must be sorted, as {@link #merge} leaves them); NaN when empty. */
  double percentileMillis(double p) {
    if (size == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * size);
    return values[Math.max(0, Math.min(size - 1, rank - 1))] / 1_000_000.0;
  }
}
