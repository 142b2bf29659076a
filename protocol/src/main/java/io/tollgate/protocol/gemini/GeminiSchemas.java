package io.tollgate.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a tool's JSON Schema into the OpenAPI subset Gemini's {@code parameters} accepts: keys
 * it rejects ({@code additionalProperties}, {@code $schema}, {@code $ref}, ...) are dropped,
 * {@code "type": ["string", "null"]} becomes {@code "type": "string", "nullable": true}, and
 * {@code const} becomes a one-value {@code enum}.
 */
final class GeminiSchemas {
  private static final Set<String> KEPT = Set.of(
      "type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems",
      "properties", "required", "minProperties", "maxProperties", "minLength", "maxLength",
      "pattern", "example", "anyOf", "propertyOrdering", "default", "items", "minimum", "maximum");
  private static final Set<String> FORMATS = Set.of("enum", "date-time", "int32", "int64", "float", "double");

  private GeminiSchemas() {}

  /** The cleaned schema, or null when there is nothing to declare (Gemini rejects an object with no properties). */
  static JsonNode forParameters(JsonNode schema) {
    if (schema == null || !schema.isObject()) {
      return null;
    }
    ObjectNode cleaned = clean(schema);
    boolean emptyObject = "object".equalsIgnoreCase(cleaned.path("type").asText())
        && (!cleaned.has("properties") || cleaned.get("properties").isEmpty());
    return emptyObject ? null : cleaned;
  }

  private static ObjectNode clean(JsonNode schema) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    Iterator<Map.Entry<String, JsonNode>> fields = schema.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String key = f.getKey();
      JsonNode value = f.getValue();
      switch (key) {
        case "type" -> type(value, out);
        case "const" -> out.putArray("enum").add(value);
        case "properties" -> {
          if (value.isObject()) {
            ObjectNode props = out.putObject("properties");
            value.fields().forEachRemaining(p -> props.set(p.getKey(), p.getValue().isObject() ? clean(p.getValue()) : p.getValue()));
          }
        }
        case "items" -> {
          if (value.isObject()) {
            out.set("items", clean(value));
          }
        }
        case "anyOf" -> {
          if (value.isArray()) {
            ArrayNode any = out.putArray("anyOf");
            value.forEach(v -> any.add(v.isObject() ? clean(v) : v));
          }
        }
        case "format" -> {
          if (value.isTextual() && FORMATS.contains(value.asText())) {
            out.set("format", value);
          }
        }
        default -> {
          if (KEPT.contains(key)) {
            out.set(key, value);
          }
        }
      }
    }
    return out;
  }

  private static void type(JsonNode value, ObjectNode out) {
    if (!value.isArray()) {
      out.set("type", value);
      return;
    }
    for (JsonNode t : value) {
      if ("null".equals(t.asText())) {
        out.put("nullable", true);
      } else if (!out.has("type")) {
        out.set("type", t);
      }
    }
  }
}
