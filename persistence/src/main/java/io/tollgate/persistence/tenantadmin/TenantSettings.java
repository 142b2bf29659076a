package io.tollgate.persistence.tenantadmin;

import java.time.Instant;

/**
 * A tenant's audit settings.
 *
 * @param storeBodies whether request and response bodies (redacted) are stored with the audit
 * @param updatedAt null while the tenant has never changed its settings
 */
public record TenantSettings(String tenantId, boolean storeBodies, Instant updatedAt) {

  /** The settings of a tenant that never changed them: nothing beyond the audit record is stored. */
  public static TenantSettings defaults(String tenantId) {
    return new TenantSettings(tenantId, false, null);
  }
}
