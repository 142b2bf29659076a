package io.tollgate.persistence.budget;

/**
 * How long a limit's window lasts. DAILY and MONTHLY start at local midnight in the tenant's zone
 * (the first of the month for MONTHLY), LIFETIME never ends, MINUTE is the UTC epoch minute.
 * See {@link Windows}.
 */
public enum Period {
  DAILY,
  MONTHLY,
  LIFETIME,
  MINUTE
}
