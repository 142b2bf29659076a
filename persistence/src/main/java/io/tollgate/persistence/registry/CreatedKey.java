package io.tollgate.persistence.registry;

import io.tollgate.persistence.CborSerializable;

/**
 * The answer to creating a key: its info and the secret, which the registry does not keep and
 * which is shown to the caller this once. {@code toString} never prints the secret.
 */
public record CreatedKey(KeyInfo info, String secret) implements CborSerializable {
  @Override
  public String toString() {
    return "CreatedKey[info=" + info + ", secret=***]";
  }
}
