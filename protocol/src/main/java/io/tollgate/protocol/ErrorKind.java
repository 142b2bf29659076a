package io.tollgate.protocol;

/**
 * Every failure Tollgate reports, with its HTTP status and its type name in each client API's
 * error shape (see wire-notes: OpenAI {@code error.type}, Anthropic {@code error.type}).
 */
public enum ErrorKind {
  INVALID_REQUEST(400, "invalid_request_error", "invalid_request_error"),
  AUTHENTICATION(401, "authentication_error", "authentication_error"),
  PERMISSION(403, "permission_error", "permission_error"),
  NOT_FOUND(404, "not_found_error", "not_found_error"),
  REQUEST_TOO_LARGE(413, "request_too_large", "request_too_large"),
  RATE_LIMITED(429, "rate_limit_error", "rate_limit_error"),
  INTERNAL(500, "api_error", "api_error"),
  UPSTREAM_ERROR(502, "upstream_error", "api_error"),
  UNAVAILABLE(503, "service_unavailable", "api_error"),
  UPSTREAM_TIMEOUT(504, "upstream_timeout", "api_error"),
  OVERLOADED(529, "overloaded_error", "overloaded_error"),
  /** The tenant's, team's or key's USD or token budget for the period is used up. */
  BUDGET_EXCEEDED(429, "budget_exceeded", "rate_limit_error"),
  /** The budget could not be checked in time and the tenant fails closed. */
  BUDGET_UNAVAILABLE(503, "budget_unavailable", "api_error"),
  /** The call could not be recorded durably (its admission row) in time, so its answer is withheld. */
  AUDIT_UNAVAILABLE(503, "audit_unavailable", "api_error");

  private final int status;
  private final String openAiType;
  private final String anthropicType;

  ErrorKind(int status, String openAiType, String anthropicType) {
    this.status = status;
    this.openAiType = openAiType;
    this.anthropicType = anthropicType;
  }

  public int status() {
    return status;
  }

  public String typeFor(ClientApi api) {
    return api == ClientApi.ANTHROPIC ? anthropicType : openAiType;
  }

  /** The kind a provider's HTTP status maps to when the provider's own body says nothing better. */
  public static ErrorKind fromUpstreamStatus(int status) {
    return switch (status) {
      case 400, 422 -> INVALID_REQUEST;
      case 401 -> AUTHENTICATION;
      case 403 -> PERMISSION;
      case 404 -> NOT_FOUND;
      case 413 -> REQUEST_TOO_LARGE;
      case 429 -> RATE_LIMITED;
      case 503 -> UNAVAILABLE;
      case 504 -> UPSTREAM_TIMEOUT;
      case 529 -> OVERLOADED;
      default -> status >= 500 ? UPSTREAM_ERROR : INVALID_REQUEST;
    };
  }
}
