package io.tollgate.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;

/** Small Jackson helpers for building and reading wire JSON; serialising and parsing are {@link Json}'s. */
final class FakeJson {
  private FakeJson() {}

  static ObjectNode object() {
    return Json.MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return Json.MAPPER.createArrayNode();
  }

  static String quote(String s) {
    return Json.text(Json.MAPPER.getNodeFactory().textNode(s));
  }

  /** A text field, or {@code fallback} when absent or not text. */
  static String text(JsonNode node, String field, String fallback) {
    JsonNode v = node == null ? null : node.get(field);
    return v != null && v.isTextual() ? v.asText() : fallback;
  }
}
