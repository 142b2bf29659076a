package io.tollgate.persistence.budget;

/** Why a lease was refused: machine-readable, maps to the client's 429 error. */
public enum DenialReason {
  /** A USD or TOKENS limit (DAILY, MONTHLY, LIFETIME) has no room left. */
  BUDGET_EXHAUSTED,
  /** A REQUESTS_PER_MINUTE or TOKENS_PER_MINUTE limit has no room left in this minute. */
  RATE_LIMITED
}
