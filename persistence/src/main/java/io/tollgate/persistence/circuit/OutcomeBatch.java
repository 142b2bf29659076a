package io.tollgate.persistence.circuit;

import io.tollgate.persistence.CborSerializable;
import java.time.Instant;

/**
 * What one node saw of one deployment since its previous report. Neutral outcomes (client errors,
 * client disconnects) are not in it. Crosses the wire: a frozen schema.
 *
 * @param successes calls that succeeded
 * @param failures calls that failed (5xx, 529, connect errors, timeouts)
 * @param rateLimited calls answered with 429
 * @param maxRetryAfterMillis the longest {@code retry-after} among those 429s; 0 when none had one
 * @param slowCalls successes and failures that took at least the latency SLO
 * @param trailingFailures failures since the last success in this batch (all failures when it has
 *     no success), for the consecutive-failures rule
 * @param firstAt when the first outcome in the batch was recorded
 * @param lastAt when the last outcome in the batch was recorded
 * @param node address of the reporting node
 */
public record OutcomeBatch(
    String deploymentId,
    long successes,
    long failures,
    long rateLimited,
    long maxRetryAfterMillis,
    long slowCalls,
    long trailingFailures,
    Instant firstAt,
    Instant lastAt,
    String node)
    implements CborSerializable {

  /** Calls counted by the ratio rules: successes and failures. */
  public long calls() {
    return successes + failures;
  }

  /** Whether any probe in this batch went wrong (a failure or a 429). */
  public boolean anyFailed() {
    return failures > 0 || rateLimited > 0;
  }
}
