package io.tollgate.bench;

/**
 * What one stretch of a closed loop measured; a {@link RunResult} merges one or more of them
 * (the budget comparison alternates its two targets in halves).
 *
 * @param samples latencies of the successful requests
 * @param errors failed requests (non-2xx status or I/O error)
 * @param seconds how long the stretch ran
 * @param cpuMillis CPU each watched process used during the stretch ({@link ProcessCpu}; -1: unknown)
 * @param residentKiB each watched process's resident memory at the end of the stretch (-1: unknown)
 */
record Measurement(LatencySamples samples, long errors, double seconds, long[] cpuMillis, long[] residentKiB) {}
