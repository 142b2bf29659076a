package io.tollgate.node.circuit;

import io.tollgate.persistence.circuit.OutcomeBatch;
import java.time.Instant;

/** The outcomes of one deployment this node has not reported yet. Thread-safe; every method is O(1). */
final class PendingOutcomes {
  private long successes;
  private long failures;
  private long rateLimited;
  private long maxRetryAfterMillis;
  private long slowCalls;
  private long trailingFailures;
  private Instant firstAt;
  private Instant lastAt;

  synchronized void success(Instant now, boolean slow) {
    seen(now, slow);
    successes++;
    trailingFailures = 0;
  }

  synchronized void failure(Instant now, boolean slow) {
    seen(now, slow);
    failures++;
    trailingFailures++;
  }

  synchronized void rateLimited(Instant now, long retryAfterMillis) {
    seen(now, false);
    rateLimited++;
    maxRetryAfterMillis = Math.max(maxRetryAfterMillis, retryAfterMillis);
  }

  /** The batch so far, and start a new one; null when nothing happened since the last drain. */
  synchronized OutcomeBatch drain(String deploymentId, String node) {
    if (firstAt == null) {
      return null;
    }
    OutcomeBatch batch = new OutcomeBatch(deploymentId, successes, failures, rateLimited, maxRetryAfterMillis,
        slowCalls, trailingFailures, firstAt, lastAt, node);
    successes = 0;
    failures = 0;
    rateLimited = 0;
    maxRetryAfterMillis = 0;
    slowCalls = 0;
    trailingFailures = 0;
    firstAt = null;
    lastAt = null;
    return batch;
  }

  private void seen(Instant now, boolean slow) {
    if (firstAt == null) {
      firstAt = now;
    }
    lastAt = now;
    if (slow) {
      slowCalls++;
    }
  }
}
