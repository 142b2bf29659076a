package io.tollgate.persistence.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * A call's request and response bodies as stored: PII already redacted and each cut at
 * {@link AuditBodies#MAX_BODY_BYTES} UTF-8 bytes. Bodies are stored only for tenants that opted in.
 *
 * @param requestBody null when none was captured
 * @param responseBody null when none was captured
 * @param requestTruncated whether the request body was longer than the limit and was cut
 * @param responseTruncated whether the response body was longer than the limit and was cut
 */
public record StoredBodies(
    String tenantId,
    String requestId,
    Instant time,
    String requestBody,
    String responseBody,
    boolean requestTruncated,
    boolean responseTruncated) {

  public StoredBodies {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(time, "time");
  }

  /** Bodies may hold customer data even after redaction: never print them. */
  @Override
  public String toString() {
    return "StoredBodies[" + tenantId + ", " + requestId + ", " + time + "]";
  }
}
