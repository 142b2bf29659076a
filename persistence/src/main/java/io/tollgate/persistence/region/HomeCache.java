package io.tollgate.persistence.region;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's copy of the tenant homes: rows only ever move forward (a higher version, or the same
 * version settled), so a late or repeated notice never undoes a newer one. Lookups are one map read.
 */
final class HomeCache {
  private final String defaultHome;
  private final ConcurrentHashMap<String, TenantHome> rows = new ConcurrentHashMap<>();

  HomeCache(String defaultHome) {
    this.defaultHome = defaultHome;
  }

  /** The region requests for the tenant go to now. */
  String home(String tenantId) {
    TenantHome row = rows.get(tenantId);
    return row == null ? defaultHome : row.effectiveRegion(defaultHome);
  }

  /** The newest row known here, or the initial one of a tenant never moved. */
  TenantHome current(String tenantId) {
    TenantHome row = rows.get(tenantId);
    return row == null ? TenantHome.initial(tenantId, defaultHome) : row;
  }

  Optional<TenantHome> row(String tenantId) {
    return Optional.ofNullable(rows.get(tenantId));
  }

  /** Keeps {@code row} if it is newer than what is known; returns whether it was. */
  boolean apply(TenantHome row) {
    if (row == null || row.version() <= 0) {
      return false;
    }
    boolean[] changed = new boolean[1];
    rows.compute(row.tenantId(), (id, known) -> {
      if (row.newerThan(known)) {
        changed[0] = true;
        return row;
      }
      return known;
    });
    return changed[0];
  }

  /** The newer of {@code read} (from the store; may be null) and what is known here. */
  TenantHome newest(String tenantId, TenantHome read) {
    TenantHome known = current(tenantId);
    return read != null && read.newerThan(known) ? read : known;
  }

  String defaultHome() {
    return defaultHome;
  }

  int size() {
    return rows.size();
  }
}
