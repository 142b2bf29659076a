package io.tollgate.persistence.budget;

/** The three amounts of a {@link Demand}; TOKENS and TOKENS_PER_MINUTE limits share one. */
public enum Dimension {
  USD,
  TOKENS,
  REQUESTS;

  /** This dimension's amount in {@code demand}. */
  public long of(Demand demand) {
    return switch (this) {
      case USD -> demand.usdMicros();
      case TOKENS -> demand.tokens();
      case REQUESTS -> demand.requests();
    };
  }
}
