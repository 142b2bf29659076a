package io.tollgate.persistence.budget;

import io.tollgate.persistence.CborSerializable;
import java.util.List;

/**
 * All limits of one tenant.
 *
 * @param zoneId time zone of DAILY and MONTHLY windows, e.g. {@code UTC}, {@code Europe/Berlin}
 * @param failMode what nodes do when the budget entity cannot be reached
 * @param overdraftMicros with {@link FailMode#OPEN}: how much one node may admit for this tenant
 *     without a lease
 */
public record TenantLimits(String zoneId, FailMode failMode, long overdraftMicros, List<Limit> limits)
    implements CborSerializable {

  /** No limits: UTC, fail closed, no overdraft. */
  public static final TenantLimits NONE = new TenantLimits("UTC", FailMode.CLOSED, 0, List.of());

  public TenantLimits {
    limits = limits == null ? List.of() : List.copyOf(limits);
  }
}
