package io.tollgate.persistence.registry;

/** An admin request about keys that cannot be done as asked (bad name, unknown key, secret in use). */
public final class KeyRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KeyRefused(String message) {
    super(message, null, false, false);
  }
}
