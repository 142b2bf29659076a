package io.tollgate.node.auth;

import io.tollgate.persistence.registry.ApiKeys;
import io.tollgate.persistence.registry.KeyDirectory;
import io.tollgate.persistence.registry.KeyLookup;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Finds the caller from {@code Authorization: Bearer <key>} or {@code x-api-key} by the key's
 * SHA-256 in the node's {@link KeyDirectory}. A key the node has seen is a memory hit (the answer
 * is complete at once); a key it has not is read from Cassandra once. Values that cannot be a
 * Tollgate key (prefix, length, characters) are refused without any lookup.
 */
public final class Authenticator {
  private final KeyDirectory directory;
  private final PresentedKeyHashes hashes;

  /** {@code hashesKept}: how many presented secrets' SHA-256 to keep ({@code tollgate.auth.presented-key-hashes}; 0: none). */
  public Authenticator(KeyDirectory directory, int hashesKept) {
    this.directory = directory;
    this.hashes = new PresentedKeyHashes(hashesKept);
  }

  /** The caller; fails with a {@link GatewayException} (401, or 503 when keys cannot be read now). */
  public CompletionStage<Caller> authenticate(HttpRequest request) {
    Optional<String> secret = presentedKey(request);
    if (secret.isEmpty()) {
      return CompletableFuture.failedFuture(new GatewayException(ErrorKind.AUTHENTICATION,
          "Missing API key. Send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.",
          null, "missing_api_key"));
    }
    if (!ApiKeys.hasSecretShape(secret.get())) {
      return CompletableFuture.failedFuture(invalid());
    }
    String hash = hashes.hashOf(secret.get());
    KeyLookup hit = directory.cached(hash);
    if (hit != null) {
      return answer(hit);
    }
    return directory.lookup(hash).handle((lookup, failure) -> failure == null ? answer(lookup)
            : CompletableFuture.<Caller>failedFuture(new GatewayException(ErrorKind.UNAVAILABLE,
                "API keys cannot be checked right now; try again shortly.", null, "key_directory_unavailable")))
        .thenCompose(c -> c);
  }

  private static CompletableFuture<Caller> answer(KeyLookup lookup) {
    return switch (lookup.status()) {
      case ACTIVE -> CompletableFuture.completedFuture(new Caller(lookup.key()));
      case REVOKED -> CompletableFuture.failedFuture(new GatewayException(ErrorKind.AUTHENTICATION,
          "This API key has been revoked.", null, "revoked_api_key"));
      case UNKNOWN -> CompletableFuture.failedFuture(invalid());
    };
  }

  private static GatewayException invalid() {
    return new GatewayException(ErrorKind.AUTHENTICATION, "Invalid API key.", null, "invalid_api_key");
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
