package io.tollgate.fake;

/** The errors the fake answers with; each provider renders them in its own shape. */
enum ErrorCase {
  BAD_REQUEST(400),
  UNAUTHORIZED(401),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  RATE_LIMITED(429),
  SERVER_ERROR(500),
  /** 529 for Anthropic, 503 for the others. */
  OVERLOADED(503);

  final int status;

  ErrorCase(int status) {
    this.status = status;
  }
}
