package io.tollgate.protocol.translate.codec;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.ChatResponse;

/** The client side of a translator: one client API's request, response and stream shapes. */
public interface ClientCodec {

  ClientApi api();

  /** @throws io.tollgate.protocol.GatewayException INVALID_REQUEST naming the field at fault */
  ChatRequest decodeRequest(JsonNode body);

  /** The whole answer as this API's JSON; {@code request} supplies the model name to echo. */
  byte[] encodeResponse(ChatRequest request, ChatResponse response);

  /** A fresh encoder holding one stream's state. */
  ClientStreamEncoder newStreamEncoder(ChatRequest request);
}
