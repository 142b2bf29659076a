package io.tollgate.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;
import java.util.ArrayList;
import java.util.List;

/** OpenAI (and Azure) embeddings and Gemini embedContent / batchEmbedContents. */
final class EmbeddingWire {
  private EmbeddingWire() {}

  static EmbeddingCall readOpenAi(JsonNode body, String pathModel) {
    String model = FakeJson.text(body, "model", pathModel == null ? "text-embedding-3-small" : pathModel);
    JsonNode input = body.path("input");
    List<String> inputs = new ArrayList<>();
    int tokens = 0;
    if (input.isTextual()) {
      inputs.add(input.asText());
      tokens += TextCount.words(input.asText());
    } else if (input.isArray() && input.size() > 0 && input.get(0).isNumber()) {
      inputs.add(input.toString());
      tokens += input.size();
    } else if (input.isArray()) {
      for (JsonNode item : input) {
        if (item.isTextual()) {
          inputs.add(item.asText());
          tokens += TextCount.words(item.asText());
        } else {
          inputs.add(item.toString());
          tokens += Math.max(1, item.size());
        }
      }
    }
    int dims = body.path("dimensions").asInt(EmbeddingVectors.DEFAULT_DIMENSIONS);
    boolean base64 = "base64".equals(body.path("encoding_format").asText("float"));
    return new EmbeddingCall(model, inputs, dims, base64, tokens, false);
  }

  static EmbeddingCall readGemini(JsonNode body, String pathModel, boolean single) {
    List<JsonNode> requests = new ArrayList<>();
    if (single) {
      requests.add(body);
    } else {
      body.path("requests").forEach(requests::add);
    }
    List<String> inputs = new ArrayList<>();
    int tokens = 0;
    int dims = EmbeddingVectors.DEFAULT_DIMENSIONS;
    for (JsonNode r : requests) {
      JsonNode parts = r.path("content").path("parts");
      inputs.add(TextCount.text(parts));
      tokens += TextCount.words(parts);
      JsonNode d = r.has("outputDimensionality") ? r.get("outputDimensionality") : r.get("output_dimensionality");
      if (d != null && d.canConvertToInt()) {
        dims = d.asInt();
      }
    }
    return new EmbeddingCall(pathModel, inputs, dims, false, tokens, single);
  }

  static byte[] openAiBody(EmbeddingCall call) {
    ObjectNode root = FakeJson.object();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (int i = 0; i < call.inputs().size(); i++) {
      float[] v = EmbeddingVectors.of(call.inputs().get(i), call.dimensions());
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      item.put("index", i);
      if (call.base64()) {
        item.put("embedding", EmbeddingVectors.base64(v));
      } else {
        ArrayNode values = item.putArray("embedding");
        for (float f : v) {
          values.add(f);
        }
      }
    }
    root.put("model", call.model());
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", call.promptTokens());
    usage.put("total_tokens", call.promptTokens());
    return Json.bytes(root);
  }

  static byte[] geminiBody(EmbeddingCall call) {
    ObjectNode root = FakeJson.object();
    if (call.single()) {
      values(root.putObject("embedding"), call.inputs().isEmpty() ? "" : call.inputs().get(0), call.dimensions());
    } else {
      ArrayNode list = root.putArray("embeddings");
      for (String input : call.inputs()) {
        values(list.addObject(), input, call.dimensions());
      }
    }
    return Json.bytes(root);
  }

  private static void values(ObjectNode target, String input, int dims) {
    ArrayNode values = target.putArray("values");
    for (float f : EmbeddingVectors.of(input, dims)) {
      values.add(f);
    }
  }
}
