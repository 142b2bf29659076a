package io.tollgate.node.http;

import io.tollgate.persistence.registry.KeyRegistry;
import io.tollgate.protocol.GatewayException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The {@code page_token} of {@code GET /admin/tenants}: the last tenant id of the page before, base64url. */
final class TenantPageToken {
  private TenantPageToken() {}

  static String of(String lastTenantId) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(lastTenantId.getBytes(StandardCharsets.UTF_8));
  }

  /** The tenant id to list after; null for none (first page); a 400 for a token this API did not give out. */
  static String parse(String token) {
    if (token == null || token.isBlank()) {
      return null;
    }
    try {
      String id = new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8);
      if (KeyRegistry.TENANT_ID.matcher(id).matches()) {
        return id;
      }
    } catch (IllegalArgumentException notBase64) {
      // refused below
    }
    throw GatewayException.invalid("page_token", "'page_token' is not a token this API gave out.");
  }
}
