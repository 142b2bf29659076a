package io.tollgate.persistence.budget;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code tollgate.budget} settings of the {@link TenantBudget} entity.
 *
 * @param leaseTtl how long a lease lives without a settlement renewing it
 * @param expiryCheckInterval how often the entity expires leases; zero or negative turns the
 *     timer off (tests send {@code ExpireLeases} themselves)
 * @param reconcileAfter how long after expiry an unreconciled lease is closed with no extra spend
 */
public record BudgetSettings(Duration leaseTtl, Duration expiryCheckInterval, Duration reconcileAfter) {

  public static final BudgetSettings DEFAULTS =
      new BudgetSettings(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMinutes(2));

  /** Reads {@code tollgate.budget} from {@code config}, with the defaults above for missing keys. */
  public static BudgetSettings fromConfig(Config config) {
    String path = "tollgate.budget";
    if (!config.hasPath(path)) {
      return DEFAULTS;
    }
    Config c = config.getConfig(path);
    return new BudgetSettings(
        c.hasPath("lease-ttl") ? c.getDuration("lease-ttl") : DEFAULTS.leaseTtl,
        c.hasPath("expiry-check-interval") ? c.getDuration("expiry-check-interval") : DEFAULTS.expiryCheckInterval,
        c.hasPath("reconcile-after") ? c.getDuration("reconcile-after") : DEFAULTS.reconcileAfter);
  }
}
