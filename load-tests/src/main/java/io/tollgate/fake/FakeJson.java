package io.tollgate.fake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;

/** Small Jackson helpers for building and reading wire JSON. */
final class FakeJson {
  private FakeJson() {}

  static ObjectNode object() {
    return Json.MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return Json.MAPPER.createArrayNode();
  }

  static String write(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  static byte[] bytes(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** The body as a JSON object, or null when it is not one. */
  static JsonNode parseObject(byte[] body) {
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      return n != null && n.isObject() ? n : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  static String quote(String s) {
    return write(Json.MAPPER.getNodeFactory().textNode(s));
  }

  /** A text field, or {@code fallback} when absent or not text. */
  static String text(JsonNode node, String field, String fallback) {
    JsonNode v = node == null ? null : node.get(field);
    return v != null && v.isTextual() ? v.asText() : fallback;
  }
}
