package io.tollgate.persistence.registry;

import io.tollgate.persistence.CborSerializable;
import java.time.Instant;
import java.util.List;

/**
 * What the registry stores about an API key. It holds the secret's SHA-256 ({@code keyHash}),
 * never the secret itself, so it is safe to list, log and send to every node.
 *
 * @param allowedModels logical model names the key may call; empty means every model
 * @param revokedAt null while the key is active
 * @param team the team the key belongs to (its budgets and rate limits apply); null for none
 */
public record KeyInfo(
    String keyId,
    String tenantId,
    String name,
    String keyHash,
    List<String> allowedModels,
    boolean revoked,
    Instant createdAt,
    Instant revokedAt,
    String team)
    implements CborSerializable {

  public KeyInfo {
    allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
  }

  /** A key without a team. */
  public KeyInfo(
      String keyId,
      String tenantId,
      String name,
      String keyHash,
      List<String> allowedModels,
      boolean revoked,
      Instant createdAt,
      Instant revokedAt) {
    this(keyId, tenantId, name, keyHash, allowedModels, revoked, createdAt, revokedAt, null);
  }

  /** Whether this key may call the logical model {@code model} (revocation is checked separately). */
  public boolean allows(String model) {
    return allowedModels.isEmpty() || allowedModels.contains(model);
  }

  /** This key, revoked at {@code at}. */
  public KeyInfo revoke(Instant at) {
    return new KeyInfo(keyId, tenantId, name, keyHash, allowedModels, true, createdAt, at, team);
  }
}
