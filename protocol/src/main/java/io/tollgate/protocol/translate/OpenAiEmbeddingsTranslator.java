package io.tollgate.protocol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.openai.EmbeddingsRequest;
import io.tollgate.protocol.openai.OpenAiBackendCodec;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.translate.codec.BackendCodec;
import io.tollgate.protocol.usage.TokenCounter;
import io.tollgate.protocol.usage.Usage;

/**
 * OpenAI embeddings clients to OpenAI-schema providers: the client's body travels as sent (model
 * swapped), the answer comes back with the client's logical model name.
 */
public final class OpenAiEmbeddingsTranslator implements EmbeddingsTranslator {
  private EmbeddingsRequest request;

  @Override
  public UpstreamRequest toUpstream(JsonNode clientBody, String upstreamModel, ProviderEndpoint endpoint) {
    request = EmbeddingsRequest.parse(clientBody);
    ObjectNode body = (ObjectNode) clientBody.deepCopy();
    body.put("model", upstreamModel);
    return OpenAiBackendCodec.request(endpoint, upstreamModel, "embeddings", body, false);
  }

  @Override
  public ClientResponse fromUpstream(int status, byte[] body) {
    ObjectNode root;
    try {
      root = successBody(status, body, OpenAiBackendCodec.INSTANCE);
    } catch (GatewayException e) {
      return error(e);
    }
    root.put("model", request.model());
    JsonNode usage = root.path("usage");
    Usage billed;
    if (usage.path("prompt_tokens").canConvertToLong()) {
      billed = new Usage(usage.get("prompt_tokens").asLong(), 0, 0, 0, false);
    } else {
      billed = estimate(request);
    }
    return new ClientResponse(200, Json.bytes(root), billed, null, null);
  }

  /**
   * A successful provider answer as a JSON object.
   *
   * @throws GatewayException the provider's error for a non-2xx status, or an unreadable body
   */
  static ObjectNode successBody(int status, byte[] body, BackendCodec backend) {
    if (status < 200 || status >= 300) {
      throw backend.decodeError(status, body);
    }
    return OpenAiBackendCodec.readBody(body);
  }

  /** Input tokens counted by Tollgate, for providers that report none. */
  static Usage estimate(EmbeddingsRequest request) {
    long tokens = 0;
    if (request.texts() != null) {
      for (String text : request.texts()) {
        tokens += TokenCounter.count(text);
      }
    }
    return new Usage(tokens, 0, 0, 0, true);
  }

  /** A gateway error in the OpenAI error shape, billed nothing. */
  static ClientResponse error(GatewayException e) {
    return ClientResponse.error(ClientApi.OPENAI, e);
  }
}
