package io.tollgate.node.proxy;

import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.translate.ClientResponse;
import java.util.function.BiFunction;

/**
 * What a tenant is told when a deployment failed and no other took the call: the kind of failure
 * (status, type, the provider's {@code retry-after}), never the provider's own text, which can
 * name the operator's account, organisation, resource or deployment ("Rate limit reached for
 * gpt-4o in organization org-... ", an Azure resource name). Provider 4xx answers other than 408
 * and 429 are about the request itself and keep their text (the client needs it to fix the call).
 */
final class TenantFacingErrors {
  private TenantFacingErrors() {}

  /** {@code translate}, with every error it renders replaced by the gateway's own message for its kind. */
  static BiFunction<Integer, byte[], ClientResponse> generic(
      ClientApi api, BiFunction<Integer, byte[], ClientResponse> translate) {
    return (status, body) -> {
      ClientResponse answer = translate.apply(status, body);
      return answer.ok() ? answer : ClientResponse.error(api, error(answer.error()));
    };
  }

  static GatewayException error(ErrorKind kind) {
    return new GatewayException(kind, message(kind));
  }

  static String message(ErrorKind kind) {
    return switch (kind) {
      case RATE_LIMITED -> "The model's provider is rate limiting calls right now; retry later.";
      case UPSTREAM_TIMEOUT -> "The provider did not answer in time.";
      case OVERLOADED -> "The model's provider is overloaded right now; retry later.";
      case UNAVAILABLE -> "The model's provider is unavailable right now; retry later.";
      default -> "The model's provider failed to answer.";
    };
  }
}
