package io.tollgate.protocol.anthropic;

import io.tollgate.protocol.ErrorKind;
import java.util.regex.Pattern;

/** Anthropic error types ({@code error.type}) as gateway error kinds. */
final class AnthropicErrors {
  static final int MAX_MESSAGE_CHARS = 500;
  /** Anything shaped like a credential is scrubbed from provider messages before they travel on. */
  private static final Pattern KEY_LIKE = Pattern.compile("(sk-[A-Za-z0-9_\\-]{6,}|Bearer\\s+\\S+)");

  /** Said instead of the provider's words when it refuses Tollgate's own credential. */
  static final String CREDENTIAL_REJECTED =
      "the provider rejected the gateway's credentials for this deployment";

  private AnthropicErrors() {}

  /**
   * The kind for an error type, falling back to the HTTP status. Authentication and permission
   * failures are Tollgate's provider credential being wrong, not the caller's: a bad gateway.
   */
  static ErrorKind kindOf(String type, int status) {
    if ("authentication_error".equals(type) || "permission_error".equals(type)
        || status == 401 || status == 403) {
      return ErrorKind.UPSTREAM_ERROR;
    }
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

  /** The message shown to the client: the provider's own words, prefixed and bounded. */
  static String message(String type, int status, String providerMessage) {
    if (kindIsCredential(type, status)) {
      return CREDENTIAL_REJECTED;
    }
    String text = providerMessage == null || providerMessage.isBlank()
        ? (status > 0 ? "answered HTTP " + status : "reported an error")
        : KEY_LIKE.matcher(providerMessage).replaceAll("[redacted]");
    if (text.length() > MAX_MESSAGE_CHARS) {
      text = text.substring(0, MAX_MESSAGE_CHARS);
    }
    return "provider: " + text;
  }

  private static boolean kindIsCredential(String type, int status) {
    return "authentication_error".equals(type) || "permission_error".equals(type)
        || status == 401 || status == 403;
  }
}
