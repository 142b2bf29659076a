package io.tollgate.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.ChatResponse;
import io.tollgate.protocol.translate.codec.ClientCodec;
import io.tollgate.protocol.translate.codec.ClientStreamEncoder;

/** Placeholder until the codec is written. */
public enum OpenAiClientCodec implements ClientCodec {
  INSTANCE;

  @Override public ClientApi api() { return ClientApi.OPENAI; }
  @Override public ChatRequest decodeRequest(JsonNode body) { throw new IllegalStateException("codec not written yet"); }
  @Override public byte[] encodeResponse(ChatRequest request, ChatResponse response) { throw new IllegalStateException("codec not written yet"); }
  @Override public ClientStreamEncoder newStreamEncoder(ChatRequest request) { throw new IllegalStateException("codec not written yet"); }
}
