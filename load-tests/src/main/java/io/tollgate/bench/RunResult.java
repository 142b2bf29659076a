package io.tollgate.bench;

import java.util.List;

/**
 * One measured run of one workload against one target.
 *
 * @param workload what ran
 * @param target {@code direct}, {@code gateway}, or for the budget comparison {@code no limits} /
 *     {@code with limits}
 * @param requests successful requests
 * @param errors failed requests (non-2xx status or I/O error)
 * @param seconds measured duration
 * @param p50Millis median latency (time to first byte for the streaming workload)
 * @param p90Millis 90th percentile
 * @param p99Millis 99th percentile
 * @param cpuMicrosPerRequest per watched process ({@link ProcessCpu}): its CPU time during the
 *     run per successful request, µs; NaN when unknown
 * @param residentMiB per watched process: its largest resident memory at the end of a stretch, MiB;
 *     NaN when unknown
 */
record RunResult(Workload workload, String target, long requests, long errors, double seconds,
    double p50Millis, double p90Millis, double p99Millis, double[] cpuMicrosPerRequest, double[] residentMiB) {

  /** Merges the stretches measured for one workload and target into one result. */
  static RunResult of(Workload workload, String target, List<Measurement> parts) {
    LatencySamples all = LatencySamples.merge(parts.stream().map(Measurement::samples).toList());
    long errors = parts.stream().mapToLong(Measurement::errors).sum();
    double seconds = parts.stream().mapToDouble(Measurement::seconds).sum();
    int processes = parts.isEmpty() ? 0 : parts.get(0).cpuMillis().length;
    double[] cpu = new double[processes];
    for (int i = 0; i < processes; i++) {
      long millis = 0;
      for (Measurement m : parts) {
        millis = m.cpuMillis()[i] < 0 || millis < 0 ? -1 : millis + m.cpuMillis()[i];
      }
      cpu[i] = millis < 0 || all.size() == 0 ? Double.NaN : millis * 1000.0 / all.size();
    }
    double[] rss = new double[processes];
    for (int i = 0; i < processes; i++) {
      final int p = i;
      long kib = parts.stream().mapToLong(m -> m.residentKiB().length > p ? m.residentKiB()[p] : -1).max().orElse(-1);
      rss[i] = kib < 0 ? Double.NaN : kib / 1024.0;
    }
    return new RunResult(workload, target, all.size(), errors, seconds,
        all.percentileMillis(50), all.percentileMillis(90), all.percentileMillis(99), cpu, rss);
  }

  double requestsPerSecond() {
    return seconds <= 0 ? 0 : requests / seconds;
  }
}
