package io.tollgate.persistence.registry;

import io.tollgate.persistence.CborSerializable;
import java.time.Instant;

/**
 * One key was created or revoked: the delta every node's {@link KeyDirectory} applies, pushed on
 * the {@value RegistryTopic#TOPIC_NAME} topic and logged in {@code api_key_changes}. It names the
 * key by hash and never carries more than one key.
 *
 * <p>A key only moves from active to revoked, so deltas need no ordering: applying them in any
 * order, twice, or late ends in the same state, and the change time is their version.
 */
public record KeyChange(String keyHash, String tenantId, String keyId, boolean revoked, Instant changedAt)
    implements CborSerializable {

  /** The change that brought {@code key} into its current state at {@code at}. */
  public static KeyChange of(KeyInfo key, Instant at) {
    return new KeyChange(key.keyHash(), key.tenantId(), key.keyId(), key.revoked(), at);
  }
}
