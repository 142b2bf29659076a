package io.tollgate.persistence.registry;

/**
 * A key was not in memory and the node is already reading as many keys from Cassandra as it may
 * ({@code tollgate.registry.cache.max-concurrent-reads}): a flood of unknown keys must not take
 * the store down. The caller should answer 503 and let the client retry.
 */
public final class KeyDirectoryBusy extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KeyDirectoryBusy() {
    super("too many API keys are being looked up at once", null, false, false);
  }
}
