package io.tollgate.fake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;

/**
 * Each provider's own error JSON. Messages never echo request headers or credentials.
 */
final class ErrorShapes {
  private ErrorShapes() {}

  static ProviderError of(Dialect d, ErrorCase c, String message) {
    return switch (d) {
      case OPENAI -> openAi(c, message);
      case AZURE -> azure(c, message);
      case ANTHROPIC -> anthropic(c, message);
      case GEMINI -> gemini(c, message);
    };
  }

  static ProviderError of(Dialect d, ErrorCase c) {
    return of(d, c, null);
  }

  private static ProviderError openAi(ErrorCase c, String message) {
    String type;
    String code;
    String text;
    switch (c) {
      case BAD_REQUEST -> { type = "invalid_request_error"; code = null; text = "Invalid request."; }
      case UNAUTHORIZED -> {
        type = "invalid_request_error";
        code = "invalid_api_key";
        text = "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.";
      }
      case NOT_FOUND -> { type = "invalid_request_error"; code = "unknown_url"; text = "Unknown request URL."; }
      case METHOD_NOT_ALLOWED -> { type = "invalid_request_error"; code = null; text = "Method not allowed."; }
      case RATE_LIMITED -> {
        type = "requests";
        code = "rate_limit_exceeded";
        text = "Rate limit reached for requests (fake provider). Please try again later.";
      }
      case SERVER_ERROR -> {
        type = "server_error";
        code = null;
        text = "The server had an error while processing your request. Sorry about that!";
      }
      default -> { type = "server_error"; code = null; text = "The engine is currently overloaded, please try again later."; }
    }
    return new ProviderError(c.status, Json.bytes(openAiBody(message == null ? text : message, type, code)));
  }

  static ObjectNode openAiBody(String message, String type, String code) {
    ObjectNode root = FakeJson.object();
    ObjectNode err = root.putObject("error");
    err.put("message", message);
    err.put("type", type);
    err.putNull("param");
    if (code == null) {
      err.putNull("code");
    } else {
      err.put("code", code);
    }
    return root;
  }

  /** Azure answers auth and URL errors in its own {@code {"error":{"code","message"}}} shape. */
  private static ProviderError azure(ErrorCase c, String message) {
    if (c == ErrorCase.UNAUTHORIZED || c == ErrorCase.NOT_FOUND
        || (c == ErrorCase.BAD_REQUEST && message != null && message.contains("api-version"))) {
      ObjectNode root = FakeJson.object();
      ObjectNode err = root.putObject("error");
      switch (c) {
        case UNAUTHORIZED -> {
          err.put("code", "401");
          err.put("message", "Access denied due to invalid subscription key or wrong API endpoint. "
              + "Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.");
        }
        case NOT_FOUND -> {
          err.put("code", "404");
          err.put("message", "Resource not found");
        }
        default -> {
          err.put("code", "MissingApiVersionParameter");
          err.put("message", message);
        }
      }
      return new ProviderError(c.status, Json.bytes(root));
    }
    return openAi(c, message);
  }

  private static ProviderError anthropic(ErrorCase c, String message) {
    int status = c.status;
    String type;
    String text;
    switch (c) {
      case BAD_REQUEST -> { type = "invalid_request_error"; text = "Invalid request."; }
      case UNAUTHORIZED -> { type = "authentication_error"; text = "invalid x-api-key"; }
      case NOT_FOUND -> { type = "not_found_error"; text = "Not found"; }
      case METHOD_NOT_ALLOWED -> { type = "invalid_request_error"; text = "Method not allowed"; }
      case RATE_LIMITED -> {
        type = "rate_limit_error";
        text = "Number of requests has exceeded your rate limit (fake provider). Please try again later.";
      }
      case SERVER_ERROR -> { type = "api_error"; text = "Internal server error"; }
      default -> { type = "overloaded_error"; text = "Overloaded"; status = 529; }
    }
    return new ProviderError(status, Json.bytes(anthropicBody(type, message == null ? text : message)));
  }

  static ObjectNode anthropicBody(String type, String message) {
    ObjectNode root = FakeJson.object();
    root.put("type", "error");
    ObjectNode err = root.putObject("error");
    err.put("type", type);
    err.put("message", message);
    return root;
  }

  private static ProviderError gemini(ErrorCase c, String message) {
    String status;
    String text;
    switch (c) {
      case BAD_REQUEST -> { status = "INVALID_ARGUMENT"; text = "Invalid JSON payload received."; }
      case UNAUTHORIZED -> { status = "UNAUTHENTICATED"; text = "API key not valid. Please pass a valid API key."; }
      case NOT_FOUND -> { status = "NOT_FOUND"; text = "Requested entity was not found."; }
      case METHOD_NOT_ALLOWED -> { status = "INVALID_ARGUMENT"; text = "Method not allowed."; }
      case RATE_LIMITED -> {
        status = "RESOURCE_EXHAUSTED";
        text = "Resource has been exhausted (e.g. check quota).";
      }
      case SERVER_ERROR -> { status = "INTERNAL"; text = "An internal error has occurred. Please retry."; }
      default -> { status = "UNAVAILABLE"; text = "The model is overloaded. Please try again later."; }
    }
    return new ProviderError(c.status, Json.bytes(geminiBody(c.status, status, message == null ? text : message)));
  }

  static ObjectNode geminiBody(int code, String status, String message) {
    ObjectNode root = FakeJson.object();
    ObjectNode err = root.putObject("error");
    err.put("code", code);
    err.put("message", message);
    err.put("status", status);
    return root;
  }
}
