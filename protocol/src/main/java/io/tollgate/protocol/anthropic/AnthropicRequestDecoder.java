package io.tollgate.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.Message;
import io.tollgate.protocol.canonical.Part;
import io.tollgate.protocol.canonical.Role;
import io.tollgate.protocol.canonical.ToolChoice;
import io.tollgate.protocol.canonical.ToolDef;
import java.util.ArrayList;
import java.util.List;

/** Validates an Anthropic Messages request body and decodes it into the canonical form. */
final class AnthropicRequestDecoder {
  private AnthropicRequestDecoder() {}

  static ChatRequest decode(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw GatewayException.invalid(null, "the request body must be a JSON object");
    }
    String model = requiredString(body, "model");
    JsonNode maxTokens = body.get("max_tokens");
    if (maxTokens == null || maxTokens.isNull()) {
      throw GatewayException.invalid("max_tokens", "max_tokens is required: an integer >= 1");
    }
    if (!maxTokens.isIntegralNumber() || !maxTokens.canConvertToInt() || maxTokens.intValue() < 1) {
      throw GatewayException.invalid("max_tokens", "max_tokens must be an integer >= 1");
    }
    return new ChatRequest(
        ClientApi.ANTHROPIC,
        model,
        system(body.get("system")),
        messages(body.get("messages")),
        tools(body.get("tools")),
        toolChoice(body.get("tool_choice")),
        maxTokens.intValue(),
        number(body, "temperature"),
        number(body, "top_p"),
        stopSequences(body.get("stop_sequences")),
        bool(body, "stream"),
        true,
        body);
  }

  private static String requiredString(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw GatewayException.invalid(field, field + " is required");
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw GatewayException.invalid(field, field + " must be a non-empty string");
    }
    return v.asText();
  }

  private static String system(JsonNode system) {
    if (system == null || system.isNull()) {
      return null;
    }
    if (system.isTextual()) {
      return system.asText();
    }
    if (!system.isArray()) {
      throw GatewayException.invalid("system", "system must be a string or an array of text blocks");
    }
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < system.size(); i++) {
      JsonNode block = system.get(i);
      String at = "system[" + i + "]";
      if (!block.isObject() || !"text".equals(block.path("type").asText())) {
        throw GatewayException.invalid(at + ".type", "system blocks must be text blocks ({\"type\": \"text\", \"text\": ...})");
      }
      texts.add(string(block, "text", at + ".text"));
    }
    return String.join("\n", texts);
  }

  private static List<Message> messages(JsonNode messages) {
    if (messages == null || messages.isNull()) {
      throw GatewayException.invalid("messages", "messages is required: a non-empty array");
    }
    if (!messages.isArray() || messages.isEmpty()) {
      throw GatewayException.invalid("messages", "messages must be a non-empty array");
    }
    List<Message> out = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      out.add(message(messages.get(i), "messages[" + i + "]"));
    }
    return out;
  }

  private static Message message(JsonNode m, String at) {
    if (!m.isObject()) {
      throw GatewayException.invalid(at, at + " must be an object with role and content");
    }
    JsonNode roleNode = m.get("role");
    Role role;
    if (roleNode != null && "user".equals(roleNode.asText(null))) {
      role = Role.USER;
    } else if (roleNode != null && "assistant".equals(roleNode.asText(null))) {
      role = Role.ASSISTANT;
    } else {
      throw GatewayException.invalid(at + ".role", at + ".role must be \"user\" or \"assistant\"");
    }
    JsonNode content = m.get("content");
    if (content == null || content.isNull()) {
      throw GatewayException.invalid(at + ".content", at + ".content is required");
    }
    if (content.isTextual()) {
      return new Message(role, List.of(new Part.Text(content.asText())));
    }
    if (!content.isArray()) {
      throw GatewayException.invalid(at + ".content", at + ".content must be a string or an array of content blocks");
    }
    List<Part> parts = new ArrayList<>(content.size());
    for (int i = 0; i < content.size(); i++) {
      Part p = block(content.get(i), at + ".content[" + i + "]");
      if (p != null) {
        parts.add(p);
      }
    }
    return new Message(role, parts);
  }

  /** One content block; null for blocks only an Anthropic backend can use (it gets the original body). */
  private static Part block(JsonNode b, String at) {
    if (!b.isObject()) {
      throw GatewayException.invalid(at, at + " must be a content block object");
    }
    JsonNode typeNode = b.get("type");
    if (typeNode == null || !typeNode.isTextual()) {
      throw GatewayException.invalid(at + ".type", at + ".type is required");
    }
    String type = typeNode.asText();
    return switch (type) {
      case "text" -> new Part.Text(string(b, "text", at + ".text"));
      case "image" -> image(b, at);
      case "tool_use" -> toolUse(b, at);
      case "tool_result" -> toolResult(b, at);
      case "thinking" -> new Part.Thinking(string(b, "thinking", at + ".thinking"), optionalString(b, "signature", at + ".signature"));
      case "redacted_thinking" -> null;
      default -> throw GatewayException.invalid(at + ".type",
          "unsupported content block type \"" + type + "\" at " + at
              + "; expected text, image, tool_use, tool_result, thinking or redacted_thinking");
    };
  }

  private static Part image(JsonNode b, String at) {
    JsonNode source = b.get("source");
    if (source == null || !source.isObject()) {
      throw GatewayException.invalid(at + ".source", at + ".source is required: an object");
    }
    String kind = source.path("type").asText("");
    return switch (kind) {
      case "base64" -> new Part.Image(
          string(source, "media_type", at + ".source.media_type"), string(source, "data", at + ".source.data"), null);
      case "url" -> new Part.Image(null, null, string(source, "url", at + ".source.url"));
      default -> throw GatewayException.invalid(at + ".source.type", at + ".source.type must be \"base64\" or \"url\"");
    };
  }

  private static Part toolUse(JsonNode b, String at) {
    String id = string(b, "id", at + ".id");
    String name = string(b, "name", at + ".name");
    JsonNode input = b.get("input");
    if (input == null || input.isNull()) {
      return new Part.ToolCall(id, name, "{}");
    }
    if (!input.isObject()) {
      throw GatewayException.invalid(at + ".input", at + ".input must be an object");
    }
    return new Part.ToolCall(id, name, input.toString());
  }

  private static Part toolResult(JsonNode b, String at) {
    String id = string(b, "tool_use_id", at + ".tool_use_id");
    JsonNode content = b.get("content");
    String text;
    if (content == null || content.isNull()) {
      text = "";
    } else if (content.isTextual()) {
      text = content.asText();
    } else if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < content.size(); i++) {
        JsonNode c = content.get(i);
        String cat = at + ".content[" + i + "]";
        String type = c.isObject() ? c.path("type").asText("") : "";
        if (type.equals("image")) {
          continue; // no canonical form; an Anthropic backend still gets it from the original body
        }
        if (!type.equals("text")) {
          throw GatewayException.invalid(cat + ".type", "tool_result content blocks must be text or image blocks");
        }
        if (sb.length() > 0) {
          sb.append('\n');
        }
        sb.append(string(c, "text", cat + ".text"));
      }
      text = sb.toString();
    } else {
      throw GatewayException.invalid(at + ".content", at + ".content must be a string or an array of text blocks");
    }
    JsonNode isError = b.get("is_error");
    if (isError != null && !isError.isNull() && !isError.isBoolean()) {
      throw GatewayException.invalid(at + ".is_error", at + ".is_error must be a boolean");
    }
    return new Part.ToolResult(id, text, isError != null && isError.asBoolean(false));
  }

  private static List<ToolDef> tools(JsonNode tools) {
    if (tools == null || tools.isNull()) {
      return List.of();
    }
    if (!tools.isArray()) {
      throw GatewayException.invalid("tools", "tools must be an array");
    }
    List<ToolDef> out = new ArrayList<>(tools.size());
    for (int i = 0; i < tools.size(); i++) {
      JsonNode t = tools.get(i);
      String at = "tools[" + i + "]";
      if (!t.isObject()) {
        throw GatewayException.invalid(at, at + " must be an object");
      }
      String name = string(t, "name", at + ".name");
      String description = optionalString(t, "description", at + ".description");
      JsonNode schema = t.get("input_schema");
      if (schema != null && !schema.isNull() && !schema.isObject()) {
        throw GatewayException.invalid(at + ".input_schema", at + ".input_schema must be a JSON Schema object");
      }
      out.add(new ToolDef(name, description, schema == null || schema.isNull() ? null : schema));
    }
    return out;
  }

  private static ToolChoice toolChoice(JsonNode choice) {
    if (choice == null || choice.isNull()) {
      return null;
    }
    if (!choice.isObject()) {
      throw GatewayException.invalid("tool_choice", "tool_choice must be an object such as {\"type\": \"auto\"}");
    }
    String type = choice.path("type").asText("");
    return switch (type) {
      case "auto" -> new ToolChoice.Auto();
      case "any" -> new ToolChoice.Any();
      case "none" -> new ToolChoice.None();
      case "tool" -> new ToolChoice.Named(string(choice, "name", "tool_choice.name"));
      default -> throw GatewayException.invalid("tool_choice.type", "tool_choice.type must be auto, any, tool or none");
    };
  }

  private static List<String> stopSequences(JsonNode stop) {
    if (stop == null || stop.isNull()) {
      return List.of();
    }
    if (!stop.isArray()) {
      throw GatewayException.invalid("stop_sequences", "stop_sequences must be an array of strings");
    }
    List<String> out = new ArrayList<>(stop.size());
    for (int i = 0; i < stop.size(); i++) {
      if (!stop.get(i).isTextual()) {
        throw GatewayException.invalid("stop_sequences[" + i + "]", "stop_sequences must be an array of strings");
      }
      out.add(stop.get(i).asText());
    }
    return out;
  }

  private static Double number(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
      throw GatewayException.invalid(field, field + " must be a finite number");
    }
    return v.doubleValue();
  }

  private static boolean bool(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw GatewayException.invalid(field, field + " must be a boolean");
    }
    return v.booleanValue();
  }

  private static String string(JsonNode node, String field, String param) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw GatewayException.invalid(param, param + " is required");
    }
    if (!v.isTextual()) {
      throw GatewayException.invalid(param, param + " must be a string");
    }
    return v.asText();
  }

  private static String optionalString(JsonNode node, String field, String param) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw GatewayException.invalid(param, param + " must be a string");
    }
    return v.asText();
  }
}
