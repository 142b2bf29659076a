package io.tollgate.persistence.budget;

/** What a {@link Limit} counts. */
public enum LimitKind {
  /** Cost in micro-dollars, per DAILY, MONTHLY or LIFETIME period. */
  USD,
  /** Input plus output tokens, per DAILY, MONTHLY or LIFETIME period. */
  TOKENS,
  /** Admitted requests per UTC minute. */
  REQUESTS_PER_MINUTE,
  /** Input plus output tokens per UTC minute. */
  TOKENS_PER_MINUTE;

  /** Whether this is a rate limit (always counted per {@link Period#MINUTE}). */
  public boolean perMinute() {
    return this == REQUESTS_PER_MINUTE || this == TOKENS_PER_MINUTE;
  }

  /** The amount of {@code demand} this kind counts. */
  public long of(Demand demand) {
    return switch (this) {
      case USD -> demand.usdMicros();
      case TOKENS, TOKENS_PER_MINUTE -> demand.tokens();
      case REQUESTS_PER_MINUTE -> demand.requests();
    };
  }

  /** The {@link Demand} dimension this kind counts. */
  public Dimension dimension() {
    return switch (this) {
      case USD -> Dimension.USD;
      case TOKENS, TOKENS_PER_MINUTE -> Dimension.TOKENS;
      case REQUESTS_PER_MINUTE -> Dimension.REQUESTS;
    };
  }
}
