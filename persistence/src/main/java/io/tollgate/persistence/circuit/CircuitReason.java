package io.tollgate.persistence.circuit;

/** The reason codes a {@link CircuitState} carries. */
public final class CircuitReason {
  /** Too many failed calls in the window. */
  public static final String ERROR_RATIO = "error_ratio";
  /** Too many failures in a row. */
  public static final String CONSECUTIVE_FAILURES = "consecutive_failures";
  /** Too many calls slower than the latency SLO in the window. */
  public static final String LATENCY_SLO = "latency_slo";
  /** The provider answered 429; the cool-down is its {@code retry-after}. */
  public static final String RATE_LIMITED = "rate_limited";
  /** An admin opened or closed the circuit. */
  public static final String FORCED = "forced";
  /** A half-open probe failed: the circuit re-opened with a doubled cool-down. */
  public static final String PROBE_FAILED = "probe_failed";
  /** Half-open probes succeeded. */
  public static final String PROBES_SUCCEEDED = "probes_succeeded";

  private CircuitReason() {}
}
