package io.tollgate.node.http.audit;

/** Who called the admin API: the global admin, or a tenant admin limited to one tenant. */
public sealed interface AdminPrincipal {

  /** Whether this caller may read {@code tenantId}'s audit, usage and settings. */
  boolean mayRead(String tenantId);

  /** Holder of the global admin token: every tenant, every operation. */
  record Global() implements AdminPrincipal {
    @Override
    public boolean mayRead(String tenantId) {
      return true;
    }
  }

  /** Holder of a {@code tga_} token: reads its own tenant's audit, usage and settings only. */
  record TenantAdmin(String tenantId) implements AdminPrincipal {
    @Override
    public boolean mayRead(String tenant) {
      return tenantId.equals(tenant);
    }
  }
}
