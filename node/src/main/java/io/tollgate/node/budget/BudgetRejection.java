package io.tollgate.node.budget;

import io.tollgate.persistence.budget.LimitStatus;
import io.tollgate.protocol.GatewayException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Why {@link LeaseBook#admit} refused a request: the client error to send ({@link #error()}: kind
 * BUDGET_EXCEEDED or RATE_LIMITED, both 429, or BUDGET_UNAVAILABLE, 503) and the headers that go
 * with it ({@code retry-after} in seconds when waiting helps, and the {@code x-ratelimit-*} headers).
 * {@link GatewayException} is final, so this carries one rather than extending it.
 */
public final class BudgetRejection extends RuntimeException {
  private final GatewayException error;
  private final Long retryAfterSeconds;
  private final List<LimitStatus> status;
  private final Instant at;

  BudgetRejection(GatewayException error, Long retryAfterSeconds, List<LimitStatus> status, Instant at) {
    super(error.getMessage(), null, false, false);
    this.error = error;
    this.retryAfterSeconds = retryAfterSeconds;
    this.status = List.copyOf(status);
    this.at = at;
  }

  /** The error to render in the client API's shape. */
  public GatewayException error() {
    return error;
  }

  /** Seconds until the blocking window ends; empty when waiting does not help (LIFETIME, 503). */
  public OptionalLong retryAfterSeconds() {
    return retryAfterSeconds == null ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
  }

  /** {@code retry-after} (when known) and the {@code x-ratelimit-*} headers for the error response. */
  public List<HttpHeader> headers() {
    List<HttpHeader> headers = new ArrayList<>(RateLimitHeaders.of(status, null, at));
    if (retryAfterSeconds != null) {
      headers.add(0, RawHeader.create("retry-after", Long.toString(retryAfterSeconds)));
    }
    return headers;
  }
}
