package io.tollgate.protocol.translate;

import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.ErrorBodies;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.usage.Usage;

/**
 * A complete answer rendered for the client.
 *
 * @param status HTTP status to send
 * @param body JSON body in the client API's shape (an error shape when {@code error} is set)
 * @param usage what to bill; {@link Usage#ZERO} for errors
 * @param error null on success, otherwise the kind of failure (for the audit record)
 * @param errorMessage null on success; never contains secrets
 */
public record ClientResponse(int status, byte[] body, Usage usage, ErrorKind error, String errorMessage) {

  /** A gateway error in the client API's own error shape, billed nothing. */
  public static ClientResponse error(ClientApi api, GatewayException e) {
    return new ClientResponse(
        e.kind().status(), Json.bytes(ErrorBodies.render(api, e)), Usage.ZERO, e.kind(), e.getMessage());
  }

  public boolean ok() {
    return error == null;
  }
}
