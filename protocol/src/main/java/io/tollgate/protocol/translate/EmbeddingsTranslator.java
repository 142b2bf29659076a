package io.tollgate.protocol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.UpstreamRequest;

/** Translates one OpenAI-shaped embeddings call to a backend schema. Created per request. */
public interface EmbeddingsTranslator {

  /** @throws io.tollgate.protocol.GatewayException INVALID_REQUEST naming the field at fault */
  UpstreamRequest toUpstream(JsonNode clientBody, String upstreamModel, ProviderEndpoint endpoint);

  ClientResponse fromUpstream(int status, byte[] body);
}
