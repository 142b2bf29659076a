package io.tollgate.persistence.cache;

import io.tollgate.persistence.CborSerializable;

/**
 * One stored answer: its canonical form (opaque here), when it was stored, when it may no longer be
 * served (its TTL), and what the call that produced it cost (what a hit saves).
 */
public record CachedAnswer(byte[] answer, long storedAtMillis, long expiresAtMillis, long savedCostMicros)
    implements CborSerializable {

  public long ageMillis(long nowMillis) {
    return Math.max(0, nowMillis - storedAtMillis);
  }
}
