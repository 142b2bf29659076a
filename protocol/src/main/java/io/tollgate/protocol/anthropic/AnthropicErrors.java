package io.tollgate.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.provider.ProviderErrors;

/** Anthropic error objects ({@code {"type": ..., "message": ...}}) as gateway errors. */
final class AnthropicErrors {
  private AnthropicErrors() {}

  /**
   * The gateway error for an Anthropic {@code error} object; {@code status} is the HTTP status, or
   * 0 for an error event inside a stream. Authentication and permission errors are Tollgate's
   * provider credential being wrong, not the caller's, whatever the status.
   */
  static GatewayException of(JsonNode error, int status) {
    String type = AnthropicWire.text(error, "type");
    if ("authentication_error".equals(type) || "permission_error".equals(type)) {
      return ProviderErrors.credentialRejected();
    }
    return new GatewayException(kindOf(type, status), ProviderErrors.message(AnthropicWire.text(error, "message"), status));
  }

  /** The kind for an error type, falling back to the HTTP status. */
  private static ErrorKind kindOf(String type, int status) {
    if (type != null) {
      switch (type) {
        case "overloaded_error":
          return ErrorKind.OVERLOADED;
        case "rate_limit_error":
          return ErrorKind.RATE_LIMITED;
        case "invalid_request_error":
          return ErrorKind.INVALID_REQUEST;
        case "not_found_error":
          return ErrorKind.NOT_FOUND;
        case "request_too_large":
          return ErrorKind.REQUEST_TOO_LARGE;
        case "api_error":
          return ErrorKind.UPSTREAM_ERROR;
        default:
          break;
      }
    }
    return status > 0 ? ErrorKind.fromUpstreamStatus(status) : ErrorKind.UPSTREAM_ERROR;
  }
}
