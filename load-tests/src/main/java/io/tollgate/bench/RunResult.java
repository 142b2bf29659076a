package io.tollgate.bench;

/**
 * One measured run of one workload against one target.
 *
 * @param workload what ran
 * @param target {@code direct} or {@code gateway}
 * @param requests successful requests
 * @param errors failed requests (non-2xx status or I/O error)
 * @param seconds measured duration
 * @param p50Millis median latency (time to first byte for the streaming workload)
 * @param p90Millis 90th percentile
 * @param p99Millis 99th percentile
 */
record RunResult(Workload workload, String target, long requests, long errors, double seconds,
    double p50Millis, double p90Millis, double p99Millis) {

  double requestsPerSecond() {
    return seconds <= 0 ? 0 : requests / seconds;
  }
}
