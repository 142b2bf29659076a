package io.tollgate.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.GatewayException;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated OpenAI embeddings request ({@code POST /v1/embeddings}).
 *
 * @param model the logical model the client asked for
 * @param texts the inputs when they are text; null when the client sent token ids
 * @param base64 whether the client wants vectors as base64 of little-endian float32
 * @param dimensions requested output size, or null
 */
public record EmbeddingsRequest(String model, List<String> texts, boolean base64, Integer dimensions) {

  /** @throws GatewayException INVALID_REQUEST naming the field at fault */
  public static EmbeddingsRequest parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw GatewayException.invalid(null, "the request body must be a JSON object");
    }
    JsonNode model = body.get("model");
    if (model == null || model.isNull()) {
      throw GatewayException.invalid("model", "'model' is required");
    }
    if (!model.isTextual() || model.asText().isEmpty()) {
      throw GatewayException.invalid("model", "'model' must be a non-empty string");
    }
    List<String> texts = input(body.get("input"));
    boolean base64 = false;
    JsonNode format = body.get("encoding_format");
    if (format != null && !format.isNull()) {
      if (!format.isTextual() || !(format.asText().equals("float") || format.asText().equals("base64"))) {
        throw GatewayException.invalid("encoding_format", "'encoding_format' must be 'float' or 'base64'");
      }
      base64 = format.asText().equals("base64");
    }
    Integer dimensions = null;
    JsonNode dims = body.get("dimensions");
    if (dims != null && !dims.isNull()) {
      if (!dims.isIntegralNumber() || !dims.canConvertToInt() || dims.intValue() < 1) {
        throw GatewayException.invalid("dimensions", "'dimensions' must be an integer of at least 1");
      }
      dimensions = dims.intValue();
    }
    return new EmbeddingsRequest(model.asText(), texts, base64, dimensions);
  }

  private static List<String> input(JsonNode input) {
    String shape = "'input' must be a non-empty string, an array of strings, an array of token ids or an array of token id arrays";
    if (input == null || input.isNull()) {
      throw GatewayException.invalid("input", "'input' is required");
    }
    if (input.isTextual()) {
      if (input.asText().isEmpty()) {
        throw GatewayException.invalid("input", shape);
      }
      return List.of(input.asText());
    }
    if (!input.isArray() || input.isEmpty()) {
      throw GatewayException.invalid("input", shape);
    }
    JsonNode first = input.get(0);
    if (first.isTextual()) {
      List<String> texts = new ArrayList<>(input.size());
      for (JsonNode s : input) {
        if (!s.isTextual() || s.asText().isEmpty()) {
          throw GatewayException.invalid("input", shape);
        }
        texts.add(s.asText());
      }
      return List.copyOf(texts);
    }
    if (first.isIntegralNumber()) {
      requireTokens(input, shape);
      return null;
    }
    for (JsonNode tokens : input) {
      if (!tokens.isArray() || tokens.isEmpty()) {
        throw GatewayException.invalid("input", shape);
      }
      requireTokens(tokens, shape);
    }
    return null;
  }

  private static void requireTokens(JsonNode array, String shape) {
    for (JsonNode t : array) {
      if (!t.isIntegralNumber() || t.asLong() < 0) {
        throw GatewayException.invalid("input", shape);
      }
    }
  }
}
