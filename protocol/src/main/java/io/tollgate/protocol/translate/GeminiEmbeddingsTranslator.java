package io.tollgate.protocol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.UpstreamRequest;

/** Placeholder until the translator is written. */
public final class GeminiEmbeddingsTranslator implements EmbeddingsTranslator {
  @Override public UpstreamRequest toUpstream(JsonNode clientBody, String upstreamModel, ProviderEndpoint endpoint) { throw new IllegalStateException("not written yet"); }
  @Override public ClientResponse fromUpstream(int status, byte[] body) { throw new IllegalStateException("not written yet"); }
}
