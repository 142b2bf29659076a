package io.tollgate.persistence.budget;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code tollgate.budget} settings of the {@link TenantBudget} entity (defaults in reference.conf).
 *
 * @param leaseTtl how long a lease lives without a settlement renewing it
 * @param expiryCheckInterval how often the entity expires leases; zero or negative turns the
 *     timer off (tests send {@code ExpireLeases} themselves)
 * @param reconcileGrace how long a lease's node must have been gone (no longer a cluster member)
 *     before the lease is closed from its audit records: time for that node's last writes to land
 * @param clockTolerance how far a node's time may be from the entity's before the entity's own
 *     clock decides the windows and expiries of that node's request
 * @param auditReadTimeout how long the entity waits for a gone node's lease audit before it tries
 *     again on a later expiry check
 */
public record BudgetSettings(
    Duration leaseTtl, Duration expiryCheckInterval, Duration reconcileGrace, Duration clockTolerance,
    Duration auditReadTimeout) {

  /** Reads {@code tollgate.budget} (the persistence module's reference.conf has every key). */
  public static BudgetSettings fromConfig(Config config) {
    Config c = config.getConfig("tollgate.budget");
    return new BudgetSettings(
        c.getDuration("lease-ttl"),
        c.getDuration("expiry-check-interval"),
        c.getDuration("reconcile-grace"),
        c.getDuration("clock-tolerance"),
        c.getDuration("audit-read-timeout"));
  }
}
