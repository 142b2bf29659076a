package io.tollgate.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.usage.Usage;

/** Small pieces of Anthropic wire JSON shared by the client and backend codecs. */
final class AnthropicWire {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AnthropicWire() {}

  /** An Anthropic usage object; {@code input_tokens} is the uncached part, as Anthropic reports it. */
  static ObjectNode usage(Usage u) {
    Usage usage = u == null ? Usage.ZERO : u;
    ObjectNode node = NODES.objectNode();
    node.put("input_tokens", usage.inputTokens());
    node.put("output_tokens", usage.outputTokens());
    node.put("cache_read_input_tokens", usage.cacheReadTokens());
    node.put("cache_creation_input_tokens", usage.cacheWriteTokens());
    return node;
  }

  /** Usage from an Anthropic usage object; absent fields count as zero. */
  static Usage readUsage(JsonNode node) {
    return Usage.fromAnthropic(
        node.path("input_tokens").asLong(0),
        node.path("cache_read_input_tokens").asLong(0),
        node.path("cache_creation_input_tokens").asLong(0),
        node.path("output_tokens").asLong(0));
  }

  /**
   * A tool call's arguments as the JSON object Anthropic's {@code input} must be. Arguments that
   * are empty, unparseable or not an object (a model can emit broken JSON) become {@code {}}.
   */
  static ObjectNode toolInput(String argumentsJson) {
    ObjectNode parsed = Json.readObject(argumentsJson);
    return parsed == null ? NODES.objectNode() : parsed;
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }
}
