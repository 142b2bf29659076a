package io.tollgate.persistence.registry;

import io.tollgate.persistence.CborSerializable;

/**
 * A key was created or revoked: published to every node on the {@link KeyRegistry#TOPIC_NAME}
 * topic after the change is persisted.
 *
 * @param version the registry version after this change
 * @param key the key as it is now
 * @param previousVersion the registry version of the key change before this one; the versions in
 *     between changed tenants only. A node that knows version {@code v} with
 *     {@code previousVersion <= v < version} has missed no key change and can apply this update;
 *     otherwise it must re-fetch the snapshot.
 */
public record RegistryUpdate(long version, KeyInfo key, long previousVersion) implements CborSerializable {

  /** An update directly following {@code version - 1}. */
  public RegistryUpdate(long version, KeyInfo key) {
    this(version, key, version - 1);
  }

  /** Whether a node that has applied everything up to {@code knownVersion} can apply this update. */
  public boolean follows(long knownVersion) {
    return previousVersion <= knownVersion && knownVersion < version;
  }
}
