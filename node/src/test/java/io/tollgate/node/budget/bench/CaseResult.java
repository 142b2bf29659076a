package io.tollgate.node.budget.bench;

/**
 * One measured case: a tenant (with or without limits) driven by a number of concurrent callers.
 *
 * @param tenant {@code no limits} or {@code with limits}
 * @param callers concurrent callers
 * @param calls admit + settle pairs measured
 * @param errors admissions that failed (refused or the entity unreachable)
 * @param waited admissions that did not complete at once (they waited for a lease from the entity)
 * @param seconds wall time of the measured calls
 * @param cpuMicrosPerCall CPU time of this whole JVM per call (all threads: callers, Pekko, the
 *     Cassandra driver; the Cassandra process not included)
 * @param total latency of admit (until the admission is available) plus settle, µs
 * @param admit latency of admit alone, µs
 * @param settle latency of settle alone, µs
 * @param waits admit + settle of the calls that waited for a lease, µs
 */
record CaseResult(String tenant, int callers, long calls, long errors, long waited, double seconds,
    double cpuMicrosPerCall, Percentiles total, Percentiles admit, Percentiles settle, Percentiles waits) {

  double callsPerSecond() {
    return seconds <= 0 ? 0 : calls / seconds;
  }
}
