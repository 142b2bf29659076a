package io.tollgate.persistence.registry;

/**
 * What a {@link KeyDirectory} knows about a presented key: active (with its info), revoked, or
 * unknown. Active lookups are cached as these objects, so a cache hit allocates nothing.
 */
public record KeyLookup(KeyInfo key, Status status) {

  /** The three states a key hash can be in; a key only moves forward through them. */
  public enum Status { UNKNOWN, ACTIVE, REVOKED }

  public static final KeyLookup UNKNOWN = new KeyLookup(null, Status.UNKNOWN);
  public static final KeyLookup REVOKED = new KeyLookup(null, Status.REVOKED);

  static KeyLookup of(KeyInfo key) {
    return key.revoked() ? REVOKED : new KeyLookup(key, Status.ACTIVE);
  }

  public boolean active() {
    return status == Status.ACTIVE;
  }
}
