package io.tollgate.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** The one shared, thread-safe Jackson mapper for wire JSON, and the few ways every codec uses it. */
public final class Json {
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}

  /** A tree as UTF-8 JSON bytes (a tree always serialises). */
  public static byte[] bytes(JsonNode tree) {
    try {
      return MAPPER.writeValueAsBytes(tree);
    } catch (JsonProcessingException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /** A tree as JSON text (a tree always serialises). */
  public static String text(JsonNode tree) {
    try {
      return MAPPER.writeValueAsString(tree);
    } catch (JsonProcessingException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /** The bytes parsed as a JSON object; null when they are null, empty, not JSON or not an object. */
  public static ObjectNode readObject(byte[] json) {
    if (json == null || json.length == 0) {
      return null;
    }
    try {
      return MAPPER.readTree(json) instanceof ObjectNode o ? o : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The text parsed as a JSON object; null when it is null, blank, not JSON or not an object. */
  public static ObjectNode readObject(String json) {
    if (json == null || json.isBlank()) {
      return null;
    }
    try {
      return MAPPER.readTree(json) instanceof ObjectNode o ? o : null;
    } catch (IOException e) {
      return null;
    }
  }
}
