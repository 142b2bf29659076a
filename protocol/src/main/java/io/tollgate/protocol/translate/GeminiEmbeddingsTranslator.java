package io.tollgate.protocol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.gemini.GeminiBackendCodec;
import io.tollgate.protocol.openai.EmbeddingsRequest;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.ProviderErrors;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.usage.Usage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * OpenAI embeddings clients to Gemini's {@code batchEmbedContents}. Gemini reports no usage for
 * embeddings, so the input is counted here and billed as estimated. Vectors are returned as
 * floats or, when asked, as base64 of little-endian float32 (what the OpenAI SDKs decode).
 */
public final class GeminiEmbeddingsTranslator implements EmbeddingsTranslator {
  private EmbeddingsRequest request;

  @Override
  public UpstreamRequest toUpstream(JsonNode clientBody, String upstreamModel, ProviderEndpoint endpoint) {
    request = EmbeddingsRequest.parse(clientBody);
    if (request.texts() == null) {
      throw GatewayException.invalid("input", "this model takes text input only, not token ids");
    }
    String model = upstreamModel.startsWith("models/") ? upstreamModel : "models/" + upstreamModel;
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode requests = body.putArray("requests");
    for (String text : request.texts()) {
      ObjectNode r = requests.addObject().put("model", model);
      r.putObject("content").putArray("parts").addObject().put("text", text);
      if (request.dimensions() != null) {
        r.put("outputDimensionality", request.dimensions());
      }
    }
    return GeminiBackendCodec.request(endpoint, upstreamModel, "batchEmbedContents", body, false);
  }

  @Override
  public ClientResponse fromUpstream(int status, byte[] body) {
    JsonNode embeddings;
    try {
      embeddings = OpenAiEmbeddingsTranslator.successBody(status, body, GeminiBackendCodec.INSTANCE).path("embeddings");
    } catch (GatewayException e) {
      return OpenAiEmbeddingsTranslator.error(e);
    }
    if (!embeddings.isArray() || embeddings.size() != request.texts().size()) {
      return OpenAiEmbeddingsTranslator.error(ProviderErrors.unreadable());
    }
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (int i = 0; i < embeddings.size(); i++) {
      JsonNode values = embeddings.get(i).path("values");
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      if (request.base64()) {
        item.put("embedding", base64(values));
      } else {
        item.set("embedding", values);
      }
    }
    root.put("model", request.model());
    Usage usage = OpenAiEmbeddingsTranslator.estimate(request);
    root.putObject("usage").put("prompt_tokens", usage.inputTokens()).put("total_tokens", usage.inputTokens());
    return new ClientResponse(200, Json.bytes(root), usage, null, null);
  }

  private static String base64(JsonNode values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (JsonNode v : values) {
      buffer.putFloat(v.floatValue());
    }
    return Base64.getEncoder().encodeToString(buffer.array());
  }
}
