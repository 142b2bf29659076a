package io.tollgate.protocol.provider;

/** A credential that never prints itself: {@code toString} is redacted so it cannot leak into logs. */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    return new Secret(value == null ? "" : value);
  }

  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public String toString() {
    return "Secret[***]";
  }
}
