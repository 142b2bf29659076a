package io.tollgate.persistence.circuit;

/** Where a deployment's circuit stands. */
public enum CircuitPhase {
  /** Healthy: every request may use the deployment. */
  CLOSED,
  /** Tripped: no request uses the deployment until its cool-down ends. */
  OPEN,
  /** Cool-down over: a few probe requests may use it; their outcome closes or re-opens it. */
  HALF_OPEN
}
