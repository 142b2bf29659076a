package io.tollgate.persistence.registry;

import io.tollgate.persistence.CborSerializable;
import java.util.ArrayList;
import java.util.Collection;

/** The {@code List<TenantInfo>} the registry replies with; see {@link KeyInfoList} for why. */
final class TenantInfoList extends ArrayList<TenantInfo> implements CborSerializable {
  private static final long serialVersionUID = 1L;

  TenantInfoList() {}

  TenantInfoList(Collection<TenantInfo> tenants) {
    super(tenants);
  }
}
