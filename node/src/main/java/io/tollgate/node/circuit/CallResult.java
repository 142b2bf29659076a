package io.tollgate.node.circuit;

import java.time.Duration;

/**
 * How one attempt on a deployment ended, as the circuit book counts it.
 *
 * @param latencyMillis time the attempt took (compared with the latency SLO)
 * @param retryAfter the provider's {@code retry-after} on a 429; null when it sent none
 */
public record CallResult(Kind kind, long latencyMillis, Duration retryAfter) {

  /** What an outcome means for the circuit. */
  public enum Kind {
    /** The provider answered. */
    SUCCESS,
    /** 5xx, 529, 408, connect error, timeout, broken stream. */
    FAILURE,
    /** 429: opens the circuit for its {@code retry-after}. */
    RATE_LIMITED,
    /** Not the provider's fault (another 4xx, the client went away): releases a probe permit, not counted. */
    NEUTRAL
  }

  public CallResult {
    if (kind == null) {
      throw new IllegalArgumentException("a call result needs a kind");
    }
  }

  public static CallResult success(long latencyMillis) {
    return new CallResult(Kind.SUCCESS, latencyMillis, null);
  }

  public static CallResult failure(long latencyMillis) {
    return new CallResult(Kind.FAILURE, latencyMillis, null);
  }

  /** A 429; {@code retryAfter} may be null. */
  public static CallResult rateLimited(long latencyMillis, Duration retryAfter) {
    return new CallResult(Kind.RATE_LIMITED, latencyMillis, retryAfter);
  }

  public static CallResult neutral(long latencyMillis) {
    return new CallResult(Kind.NEUTRAL, latencyMillis, null);
  }

  /** The {@code retry-after} in milliseconds; 0 when none. */
  long retryAfterMillis() {
    return retryAfter == null || retryAfter.isNegative() ? 0 : retryAfter.toMillis();
  }
}
