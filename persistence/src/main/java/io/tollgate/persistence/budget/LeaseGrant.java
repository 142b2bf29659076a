package io.tollgate.persistence.budget;

import io.tollgate.persistence.CborSerializable;
import java.time.Instant;
import java.util.List;

/**
 * The answer to {@code AcquireLease}. Granted: {@code leaseId}, {@code amounts} (per dimension;
 * {@link Long#MAX_VALUE} where no limit applies), {@code expiresAt}. Refused: {@code reason} and
 * {@code retryAfter} (end of the blocking window; null when waiting does not help, i.e. LIFETIME).
 * {@code status} lists every applicable limit either way. {@code grantedAt} is the time that chose
 * the lease's windows (the node's own when within the clock tolerance): admissions from it count
 * from then until {@code expiresAt}; for a refusal, the time it was decided (null from older nodes).
 */
public record LeaseGrant(
    boolean granted,
    String leaseId,
    Demand amounts,
    Instant expiresAt,
    List<LimitStatus> status,
    DenialReason reason,
    Instant retryAfter,
    Instant grantedAt)
    implements CborSerializable {

  public LeaseGrant {
    status = status == null ? List.of() : List.copyOf(status);
  }

  public static LeaseGrant granted(
      String leaseId, Demand amounts, Instant grantedAt, Instant expiresAt, List<LimitStatus> status) {
    return new LeaseGrant(true, leaseId, amounts, expiresAt, status, null, null, grantedAt);
  }

  public static LeaseGrant denied(DenialReason reason, Instant retryAfter, List<LimitStatus> status,
      Instant decidedAt) {
    return new LeaseGrant(false, null, null, null, status, reason, retryAfter, decidedAt);
  }
}
