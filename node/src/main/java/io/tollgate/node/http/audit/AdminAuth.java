package io.tollgate.node.http.audit;

import io.tollgate.persistence.tenantadmin.AdminTokenStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Resolves the bearer token of an admin request: the global admin token (compared in constant
 * time), or a tenant admin token ({@code tga_...}, looked up through the node's cache).
 */
public final class AdminAuth {
  private final byte[] adminToken;
  private final AdminTokenStore tokens;

  public AdminAuth(String adminToken, AdminTokenStore tokens) {
    this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
    this.tokens = tokens;
  }

  /** False when no admin token is configured: the admin API is off. */
  public boolean enabled() {
    return adminToken.length > 0;
  }

  /** The caller; empty when the token is missing or unknown. */
  public CompletionStage<Optional<AdminPrincipal>> resolve(HttpRequest request) {
    String presented = request.getHeader("authorization").map(h -> h.value())
        .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7)).map(v -> v.substring(7).trim()).orElse("");
    if (presented.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    if (MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), adminToken)) {
      return CompletableFuture.completedFuture(Optional.of(new AdminPrincipal.Global()));
    }
    if (!presented.startsWith(AdminTokenStore.PREFIX)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return tokens.tenantOf(presented).thenApply(t -> t.map(AdminPrincipal.TenantAdmin::new));
  }
}
