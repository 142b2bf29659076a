package io.tollgate.protocol.anthropic;

import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.ChatResponse;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.translate.codec.BackendCodec;
import io.tollgate.protocol.translate.codec.BackendStreamDecoder;

/** Placeholder until the codec is written. */
public enum AnthropicBackendCodec implements BackendCodec {
  INSTANCE;

  @Override public BackendSchema schema() { return BackendSchema.ANTHROPIC; }
  @Override public UpstreamRequest encodeRequest(ChatRequest request, String upstreamModel, ProviderEndpoint endpoint) { throw new IllegalStateException("codec not written yet"); }
  @Override public ChatResponse decodeResponse(byte[] body) { throw new IllegalStateException("codec not written yet"); }
  @Override public GatewayException decodeError(int status, byte[] body) { throw new IllegalStateException("codec not written yet"); }
  @Override public BackendStreamDecoder newStreamDecoder() { throw new IllegalStateException("codec not written yet"); }
}
