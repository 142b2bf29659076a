package io.tollgate.persistence.budget;

/** What a node does when it cannot reach the tenant's budget entity in time. */
public enum FailMode {
  /** Refuse the request (503). */
  CLOSED,
  /** Admit within a local overdraft bounded by {@link TenantLimits#overdraftMicros()}. */
  OPEN
}
