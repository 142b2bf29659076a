package io.tollgate.protocol;

/**
 * A failure to report to the client in its own API's error shape. The message must never carry
 * a secret: it is sent to the client and written to the audit record.
 */
public final class GatewayException extends RuntimeException {
  private final ErrorKind kind;
  private final String param;
  private final String code;

  public GatewayException(ErrorKind kind, String message) {
    this(kind, message, null, null);
  }

  public GatewayException(ErrorKind kind, String message, String param, String code) {
    super(message, null, false, false);
    this.kind = kind;
    this.param = param;
    this.code = code;
  }

  public static GatewayException invalid(String param, String message) {
    return new GatewayException(ErrorKind.INVALID_REQUEST, message, param, null);
  }

  public ErrorKind kind() {
    return kind;
  }

  /** The request field at fault, or null. */
  public String param() {
    return param;
  }

  /** A machine-readable code such as {@code model_not_found}, or null. */
  public String code() {
    return code;
  }
}
