package io.tollgate.persistence.region;

import io.tollgate.persistence.CborSerializable;
import java.time.Instant;

/**
 * Where a tenant's budget entity lives, as one row of table {@code tenant_home}; also the pub-sub
 * notice that a home moved. A move writes the new region unsettled ({@code settled == false}) and
 * settles it once the old home's entity has stopped (or could not be reached): until then requests
 * keep going to {@code movedFrom}, and the new home does not start the entity (see {@link HomeGuard}).
 *
 * @param version 0 for a tenant that was never moved (no row); every move adds one
 * @param movedAt when the last move started; null for version 0
 * @param movedFrom the home before the last move; null for version 0
 */
public record TenantHome(
    String tenantId, String region, long version, Instant movedAt, String movedFrom, boolean settled)
    implements CborSerializable {

  /** A tenant that was never moved: its home is the default home. */
  public static TenantHome initial(String tenantId, String defaultHome) {
    return new TenantHome(tenantId, defaultHome, 0, null, null, true);
  }

  /** Where requests go now: the region once settled, the previous home while the move runs. */
  public String effectiveRegion(String defaultHome) {
    if (settled) {
      return region;
    }
    return movedFrom == null ? defaultHome : movedFrom;
  }

  /** This row, settled. */
  public TenantHome asSettled() {
    return new TenantHome(tenantId, region, version, movedAt, movedFrom, true);
  }

  /** Whether this row is newer than {@code other} (null counts as oldest). */
  public boolean newerThan(TenantHome other) {
    return other == null || version > other.version || (version == other.version && settled && !other.settled);
  }
}
