package io.tollgate.node.auth;

import io.tollgate.persistence.registry.KeyInfo;

/** The authenticated tenant and key behind a request. */
public record Caller(KeyInfo key) {
  public String tenantId() {
    return key.tenantId();
  }

  public String keyId() {
    return key.keyId();
  }

  /** The key's team, or null. */
  public String team() {
    return key.team();
  }

  public boolean mayUse(String model) {
    return key.allows(model);
  }
}
