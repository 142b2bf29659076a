package io.tollgate.node.http;

import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * The check of the global admin token ({@code tollgate.admin-token}) shared by the admin routes
 * that only the global admin may call. The comparison takes the same time for every wrong token;
 * the token itself never appears in an error.
 */
public final class GlobalAdminToken {
  private final byte[] token;

  public GlobalAdminToken(String token) {
    this.token = (token == null ? "" : token).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Why {@code request} may not use the admin API: 404 while no admin token is configured, 401
   * for a missing or wrong bearer token; empty when it may.
   */
  public Optional<GatewayException> refusal(HttpRequest request) {
    if (token.length == 0) {
      return Optional.of(new GatewayException(ErrorKind.NOT_FOUND, "The admin API is disabled: set TOLLGATE_ADMIN_TOKEN."));
    }
    String presented = request.getHeader("authorization").map(h -> h.value())
        .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7)).map(v -> v.substring(7).trim()).orElse("");
    if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token)) {
      return Optional.of(new GatewayException(ErrorKind.AUTHENTICATION, "Missing or wrong admin token.", null,
          "invalid_admin_token"));
    }
    return Optional.empty();
  }
}
