package io.tollgate.persistence.tenantadmin;

/**
 * A token just created, with its secret ({@code tga_...}). The secret is returned this once; only
 * its SHA-256 is stored.
 */
public record CreatedAdminToken(AdminToken info, String secret) {

  @Override
  public String toString() {
    return "CreatedAdminToken[" + info + ", secret=***]";
  }
}
