package io.tollgate.protocol.translate.codec;

import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.ChatResponse;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.UpstreamRequest;

/** The provider side of a translator: one backend schema's request, response and stream shapes. */
public interface BackendCodec {

  BackendSchema schema();

  /** The provider request, with auth headers; streaming requests always ask for usage. */
  UpstreamRequest encodeRequest(ChatRequest request, String upstreamModel, ProviderEndpoint endpoint);

  /** @throws GatewayException when the body is not a valid answer of this schema */
  ChatResponse decodeResponse(byte[] body);

  /** The provider's error answer as a gateway error (kind from its body or status, message without secrets). */
  GatewayException decodeError(int status, byte[] body);

  /** A fresh decoder holding one stream's state. */
  BackendStreamDecoder newStreamDecoder();
}
