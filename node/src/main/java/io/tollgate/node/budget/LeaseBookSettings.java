package io.tollgate.node.budget;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The node side of {@code tollgate.budget} (see {@code tollgate/budget.conf}); keys that are
 * missing take the defaults below, so a config without the budget section still works.
 *
 * @param askTimeout longest wait for the TenantBudget entity before failing closed (or open)
 * @param settleInterval how often settlements are sent per lease
 * @param idleReturn a lease unused this long is closed and its remainder returned
 * @param wantSeconds a new lease is sized for this many seconds of the key's recent spend rate
 * @param limitsRefresh how often a node re-reads a tenant's limits (fail mode, overdraft, and
 *     whether the tenant has any limits at all)
 */
public record LeaseBookSettings(
    Duration askTimeout, Duration settleInterval, Duration idleReturn, long wantSeconds, Duration limitsRefresh) {

  public static final LeaseBookSettings DEFAULTS = new LeaseBookSettings(
      Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofSeconds(5), 5, Duration.ofSeconds(30));

  public LeaseBookSettings {
    if (askTimeout.isNegative() || askTimeout.isZero() || settleInterval.isNegative() || settleInterval.isZero()
        || wantSeconds < 1) {
      throw new IllegalArgumentException("tollgate.budget: ask-timeout and settle-interval must be positive, "
          + "want-seconds at least 1");
    }
  }

  /** Reads {@code tollgate.budget.*}. */
  public static LeaseBookSettings from(Config config) {
    Config c = config.hasPath("tollgate.budget") ? config.getConfig("tollgate.budget") : com.typesafe.config.ConfigFactory.empty();
    return new LeaseBookSettings(
        c.hasPath("ask-timeout") ? c.getDuration("ask-timeout") : DEFAULTS.askTimeout,
        c.hasPath("settle-interval") ? c.getDuration("settle-interval") : DEFAULTS.settleInterval,
        c.hasPath("idle-return") ? c.getDuration("idle-return") : DEFAULTS.idleReturn,
        c.hasPath("want-seconds") ? c.getLong("want-seconds") : DEFAULTS.wantSeconds,
        c.hasPath("limits-refresh") ? c.getDuration("limits-refresh") : DEFAULTS.limitsRefresh);
  }

  /** Near its expiry a lease is renewed (while requests are in flight) or closed: this long before. */
  Duration expiryMargin() {
    return askTimeout.plus(settleInterval);
  }
}
