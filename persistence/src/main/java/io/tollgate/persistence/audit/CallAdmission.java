package io.tollgate.persistence.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * A call admitted from a budget lease, as written to {@code calls_by_lease} before its client may
 * see the answer. {@code time} and {@code requestId} are those of the call's audit record, so the
 * record reconciliation writes for a call that never finished has the same primary key.
 *
 * @param keyId the calling key; null when unknown
 * @param team the key's team; null when it has none
 * @param worstUsdMicros the worst-case cost reserved at admission
 * @param worstTokens the worst-case input plus output tokens reserved at admission
 */
public record CallAdmission(
    String tenantId,
    String leaseId,
    String requestId,
    Instant time,
    String keyId,
    String team,
    String clientApi,
    String logicalModel,
    long worstUsdMicros,
    long worstTokens) {

  public CallAdmission {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(leaseId, "leaseId");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(time, "time");
  }
}
