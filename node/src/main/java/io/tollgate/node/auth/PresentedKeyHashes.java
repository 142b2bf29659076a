package io.tollgate.node.auth;

import io.tollgate.persistence.registry.ApiKeys;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SHA-256 of recently presented secrets, so a client's repeated calls do not hash the same key
 * each time. Bounded: when full it is emptied and refills with the keys still in use. Only
 * secrets of a valid shape are cached (the caller checks); a revoked key keeps its hash, and the
 * key directory, not this map, decides whether it is accepted.
 */
final class PresentedKeyHashes {
  private final int maxEntries;
  private final ConcurrentHashMap<String, String> hashes = new ConcurrentHashMap<>();

  PresentedKeyHashes(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  String hashOf(String secret) {
    String hash = hashes.get(secret);
    if (hash != null) {
      return hash;
    }
    hash = ApiKeys.sha256Hex(secret);
    if (maxEntries <= 0) {
      return hash;
    }
    if (hashes.size() >= maxEntries) {
      hashes.clear();
    }
    hashes.put(secret, hash);
    return hash;
  }
}
