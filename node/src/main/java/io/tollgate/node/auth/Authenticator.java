package io.tollgate.node.auth;

import io.tollgate.persistence.registry.ApiKeys;
import io.tollgate.persistence.registry.KeyDirectory;
import io.tollgate.persistence.registry.KeyInfo;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpHeader;

/**
 * Finds the caller from {@code Authorization: Bearer <key>} or {@code x-api-key} by the key's
 * SHA-256 in the node-local {@link KeyDirectory}; never asks another actor per request.
 */
public final class Authenticator {
  private final KeyDirectory directory;

  public Authenticator(KeyDirectory directory) {
    this.directory = directory;
  }

  public Caller authenticate(HttpRequest request) {
    String secret = presentedKey(request)
        .orElseThrow(() -> new GatewayException(ErrorKind.AUTHENTICATION,
            "Missing API key. Send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.",
            null, "missing_api_key"));
    KeyInfo key = directory.lookup(ApiKeys.sha256Hex(secret))
        .orElseThrow(() -> new GatewayException(ErrorKind.AUTHENTICATION,
            "Invalid API key.", null, "invalid_api_key"));
    if (key.revoked()) {
      throw new GatewayException(ErrorKind.AUTHENTICATION, "This API key has been revoked.", null, "revoked_api_key");
    }
    return new Caller(key);
  }

  private static Optional<String> presentedKey(HttpRequest request) {
    Optional<String> apiKey = header(request, "x-api-key");
    if (apiKey.isPresent()) {
      return apiKey;
    }
    return header(request, "authorization")
        .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(v -> v.substring(7).trim())
        .filter(v -> !v.isEmpty());
  }

  private static Optional<String> header(HttpRequest request, String name) {
    return request.getHeader(name).map(HttpHeader::value).map(String::trim).filter(v -> !v.isEmpty());
  }
}
