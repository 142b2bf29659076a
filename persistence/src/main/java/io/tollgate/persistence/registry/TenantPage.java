package io.tollgate.persistence.registry;

import io.tollgate.persistence.CborSerializable;
import java.util.List;

/**
 * One page of tenants, in id order.
 *
 * @param hasMore whether tenants follow the last one of this page
 */
public record TenantPage(List<TenantInfo> tenants, boolean hasMore) implements CborSerializable {

  public TenantPage {
    tenants = List.copyOf(tenants);
  }

  /** The id to ask the next page after; null when there is none. */
  public String lastTenantId() {
    return tenants.isEmpty() ? null : tenants.get(tenants.size() - 1).tenantId();
  }
}
