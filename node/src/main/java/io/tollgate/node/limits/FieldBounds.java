package io.tollgate.node.limits;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.GatewayException;
import java.util.Iterator;
import java.util.Map;

/**
 * Bounds on the client-chosen strings of a request body that end up stored, logged or forwarded
 * as identifiers: {@code model}, the end-user ids and {@code metadata}. Checked on the parsed body
 * before anything else reads it; a value over its bound is refused with 400 naming the field, and
 * the message never repeats the value.
 */
public record FieldBounds(
    int maxModelLength, int maxUserLength, int maxMetadataEntries, int maxMetadataKeyLength,
    int maxMetadataValueLength) {

  private static final String[] USER_FIELDS = {"user", "safety_identifier", "prompt_cache_key"};

  /** Whether {@code model} may be stored and logged as it is. */
  public boolean modelFits(String model) {
    return model.length() <= maxModelLength;
  }

  /** @throws GatewayException 400 for the first field over its bound */
  public void check(JsonNode body) {
    JsonNode model = body.get("model");
    if (model != null && model.isTextual() && !modelFits(model.asText())) {
      throw tooLong("model", maxModelLength);
    }
    for (String field : USER_FIELDS) {
      JsonNode v = body.get(field);
      if (v != null && v.isTextual() && v.asText().length() > maxUserLength) {
        throw tooLong(field, maxUserLength);
      }
    }
    JsonNode metadata = body.get("metadata");
    if (metadata != null && metadata.isObject()) {
      metadata(metadata);
    }
  }

  private void metadata(JsonNode metadata) {
    if (metadata.size() > maxMetadataEntries) {
      throw GatewayException.invalid("metadata", "'metadata' may have at most " + maxMetadataEntries + " entries.");
    }
    Iterator<Map.Entry<String, JsonNode>> entries = metadata.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> e = entries.next();
      if (e.getKey().length() > maxMetadataKeyLength) {
        throw GatewayException.invalid("metadata",
            "'metadata' keys may be at most " + maxMetadataKeyLength + " characters long.");
      }
      JsonNode v = e.getValue();
      // Anthropic's metadata.user_id is an end-user id like OpenAI's user
      int max = e.getKey().equals("user_id") ? Math.min(maxUserLength, maxMetadataValueLength) : maxMetadataValueLength;
      if (v.isTextual() && v.asText().length() > max) {
        throw tooLong("metadata." + shortKey(e.getKey()), max);
      }
      if (v.isContainerNode()) {
        throw GatewayException.invalid("metadata." + shortKey(e.getKey()), "'metadata' values must be strings, numbers or booleans.");
      }
    }
  }

  private String shortKey(String key) {
    return key.length() <= maxMetadataKeyLength ? key : key.substring(0, maxMetadataKeyLength);
  }

  private static GatewayException tooLong(String field, int max) {
    return new GatewayException(io.tollgate.protocol.ErrorKind.INVALID_REQUEST,
        "'" + field + "' may be at most " + max + " characters long.", field, "string_too_long");
  }
}
