package io.tollgate.persistence.registry;

import io.tollgate.persistence.CborSerializable;
import java.util.Map;

/**
 * Every key of the registry (active and revoked) by its hash, at registry {@code version}.
 * Nodes replace their local copy with it.
 */
public record RegistrySnapshot(long version, Map<String, KeyInfo> keys) implements CborSerializable {
  public RegistrySnapshot {
    keys = Map.copyOf(keys);
  }
}
