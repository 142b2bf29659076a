package io.tollgate.persistence.budget;

import io.tollgate.persistence.CborSerializable;

/**
 * Amounts along the three dimensions: one request's worst case at admission, a lease's size, or
 * actual usage at settlement.
 *
 * @param usdMicros cost in micro-dollars
 * @param tokens input plus output tokens (counted by both TOKENS and TOKENS_PER_MINUTE limits)
 * @param requests requests (1 per admitted request)
 */
public record Demand(long usdMicros, long tokens, long requests) implements CborSerializable {
  public static final Demand ZERO = new Demand(0, 0, 0);

  public Demand plus(Demand other) {
    return new Demand(usdMicros + other.usdMicros, tokens + other.tokens, requests + other.requests);
  }

  public Demand minus(Demand other) {
    return new Demand(usdMicros - other.usdMicros, tokens - other.tokens, requests - other.requests);
  }

  /** Whether every amount is at least the matching amount of {@code other}. */
  public boolean covers(Demand other) {
    return usdMicros >= other.usdMicros && tokens >= other.tokens && requests >= other.requests;
  }

  public boolean anyNegative() {
    return usdMicros < 0 || tokens < 0 || requests < 0;
  }

  /** The amount of {@code dimension}. */
  public long get(Dimension dimension) {
    return dimension.of(this);
  }

  /** This demand with {@code dimension} set to {@code amount}. */
  public Demand with(Dimension dimension, long amount) {
    return switch (dimension) {
      case USD -> new Demand(amount, tokens, requests);
      case TOKENS -> new Demand(usdMicros, amount, requests);
      case REQUESTS -> new Demand(usdMicros, tokens, amount);
    };
  }
}
