package io.tollgate.node.metrics;

import io.tollgate.node.audit.ClientDisconnect;

/**
 * The {@code outcome} label of a finished call, from its status and audit error type:
 * {@code success}, {@code client_error} (the request was wrong or not allowed), {@code limited}
 * (rate limit or budget exhausted), {@code upstream_error} (the provider failed, timed out or was
 * unavailable), {@code gateway_error} (Tollgate itself failed, or could not check the budget) and
 * {@code disconnected} (the client went away mid-stream).
 */
final class CallOutcome {
  static final String SUCCESS = "success";
  static final String CLIENT_ERROR = "client_error";
  static final String LIMITED = "limited";
  static final String UPSTREAM_ERROR = "upstream_error";
  static final String GATEWAY_ERROR = "gateway_error";
  static final String DISCONNECTED = "disconnected";

  private CallOutcome() {}

  static String of(int status, String errorType) {
    if (errorType == null) {
      return byStatus(status);
    }
    return switch (errorType) {
      case ClientDisconnect.TYPE -> DISCONNECTED;
      case "rate_limited", "budget_exceeded" -> LIMITED;
      case "upstream_error", "upstream_timeout", "unavailable", "overloaded" -> UPSTREAM_ERROR;
      case "internal", "budget_unavailable" -> GATEWAY_ERROR;
      case "invalid_request", "authentication", "permission", "not_found", "request_too_large" -> CLIENT_ERROR;
      default -> status < 400 ? GATEWAY_ERROR : byStatus(status);
    };
  }

  private static String byStatus(int status) {
    if (status < 400) {
      return SUCCESS;
    }
    if (status == ClientDisconnect.STATUS) {
      return DISCONNECTED;
    }
    if (status == 429) {
      return LIMITED;
    }
    return status < 500 ? CLIENT_ERROR : UPSTREAM_ERROR;
  }
}
