package io.tollgate.protocol.openai;

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

/**
 * Validates a Chat Completions request body and decodes it into the canonical form. Every
 * rejection names the field at fault the way OpenAI does ({@code messages[2].role}).
 */
final class OpenAiRequestDecoder {
  private OpenAiRequestDecoder() {}

  static ChatRequest decode(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw GatewayException.invalid(null, "the request body must be a JSON object");
    }
    String model = requiredString(body, "model");
    JsonNode messages = body.get("messages");
    if (messages == null || messages.isNull()) {
      throw GatewayException.invalid("messages", "'messages' is required");
    }
    if (!messages.isArray()) {
      throw GatewayException.invalid("messages", "'messages' must be an array of message objects");
    }
    if (messages.isEmpty()) {
      throw GatewayException.invalid("messages", "'messages' must contain at least one message");
    }
    List<String> systems = new ArrayList<>();
    List<Message> canonical = new ArrayList<>();
    List<Part> pendingResults = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      String at = "messages[" + i + "]";
      JsonNode m = messages.get(i);
      if (!m.isObject()) {
        throw GatewayException.invalid(at, "each message must be an object");
      }
      JsonNode roleNode = m.get("role");
      if (roleNode == null || !roleNode.isTextual()) {
        throw GatewayException.invalid(at + ".role", "'role' is required and must be a string");
      }
      String role = roleNode.asText();
      if (!role.equals("tool") && !pendingResults.isEmpty()) {
        canonical.add(new Message(Role.USER, List.copyOf(pendingResults)));
        pendingResults.clear();
      }
      switch (role) {
        case "system", "developer" -> systems.add(textOnly(m.get("content"), at + ".content", true));
        case "user" -> canonical.add(new Message(Role.USER, userParts(m.get("content"), at + ".content")));
        case "assistant" -> canonical.add(new Message(Role.ASSISTANT, assistantParts(m, at)));
        case "tool" -> {
          String id = requiredString(m, "tool_call_id", at + ".tool_call_id");
          pendingResults.add(new Part.ToolResult(id, textOnly(m.get("content"), at + ".content", true), false));
        }
        default -> throw GatewayException.invalid(at + ".role",
            "'" + role + "' is not a supported role; use system, developer, user, assistant or tool");
      }
    }
    if (!pendingResults.isEmpty()) {
      canonical.add(new Message(Role.USER, List.copyOf(pendingResults)));
    }
    Integer maxTokens = positiveInt(body, "max_completion_tokens");
    if (maxTokens == null) {
      maxTokens = positiveInt(body, "max_tokens");
    }
    Integer choices = positiveInt(body, "n");
    boolean stream = optionalBoolean(body, "stream", "stream");
    boolean includeUsage = false;
    JsonNode streamOptions = body.get("stream_options");
    if (present(streamOptions)) {
      if (!streamOptions.isObject()) {
        throw GatewayException.invalid("stream_options", "'stream_options' must be an object");
      }
      includeUsage = optionalBoolean(streamOptions, "include_usage", "stream_options.include_usage");
    }
    return new ChatRequest(
        ClientApi.OPENAI,
        model,
        systems.isEmpty() ? null : String.join("\n\n", systems),
        List.copyOf(canonical),
        tools(body.get("tools")),
        toolChoice(body.get("tool_choice")),
        maxTokens,
        number(body, "temperature"),
        number(body, "top_p"),
        stop(body.get("stop")),
        stream,
        stream && includeUsage,
        body,
        choices == null ? 1 : choices);
  }

  private static List<Part> userParts(JsonNode content, String at) {
    if (content == null || content.isNull()) {
      throw GatewayException.invalid(at, "'content' is required for user messages");
    }
    if (content.isTextual()) {
      return List.of(new Part.Text(content.asText()));
    }
    if (!content.isArray()) {
      throw GatewayException.invalid(at, "'content' must be a string or an array of content parts");
    }
    List<Part> parts = new ArrayList<>();
    for (int j = 0; j < content.size(); j++) {
      String partAt = at + "[" + j + "]";
      JsonNode p = content.get(j);
      String type = p.isObject() && p.path("type").isTextual() ? p.get("type").asText() : null;
      if ("text".equals(type)) {
        parts.add(new Part.Text(requiredString(p, "text", partAt + ".text")));
      } else if ("image_url".equals(type)) {
        parts.add(image(p.get("image_url"), partAt + ".image_url"));
      } else {
        throw GatewayException.invalid(partAt + ".type",
            "content part type must be 'text' or 'image_url'" + (type == null ? "" : ", not '" + type + "'"));
      }
    }
    return List.copyOf(parts);
  }

  private static Part.Image image(JsonNode imageUrl, String at) {
    if (imageUrl == null || !imageUrl.isObject()) {
      throw GatewayException.invalid(at, "'image_url' must be an object with a 'url'");
    }
    String url = requiredString(imageUrl, "url", at + ".url");
    if (url.startsWith("data:")) {
      int comma = url.indexOf(',');
      int semi = url.indexOf(";base64");
      if (comma < 0 || semi < 0 || semi > comma) {
        throw GatewayException.invalid(at + ".url", "a data URL image must be base64 encoded (data:<type>;base64,...)");
      }
      return new Part.Image(url.substring(5, semi), url.substring(comma + 1), null);
    }
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw GatewayException.invalid(at + ".url", "the image URL must be an http(s) URL or a data URL");
    }
    return new Part.Image(null, null, url);
  }

  private static List<Part> assistantParts(JsonNode m, String at) {
    List<Part> parts = new ArrayList<>();
    JsonNode content = m.get("content");
    if (present(content)) {
      String text = textOnly(content, at + ".content", false);
      if (!text.isEmpty()) {
        parts.add(new Part.Text(text));
      }
    }
    JsonNode calls = m.get("tool_calls");
    if (present(calls)) {
      if (!calls.isArray()) {
        throw GatewayException.invalid(at + ".tool_calls", "'tool_calls' must be an array");
      }
      for (int k = 0; k < calls.size(); k++) {
        String callAt = at + ".tool_calls[" + k + "]";
        JsonNode call = calls.get(k);
        if (!call.isObject()) {
          throw GatewayException.invalid(callAt, "each tool call must be an object");
        }
        String id = requiredString(call, "id", callAt + ".id");
        JsonNode function = call.get("function");
        if (function == null || !function.isObject()) {
          throw GatewayException.invalid(callAt + ".function", "'function' is required and must be an object");
        }
        String name = requiredString(function, "name", callAt + ".function.name");
        JsonNode args = function.get("arguments");
        if (present(args) && !args.isTextual()) {
          throw GatewayException.invalid(callAt + ".function.arguments", "'arguments' must be a string of JSON");
        }
        parts.add(new Part.ToolCall(id, name, present(args) ? args.asText() : "{}"));
      }
    }
    if (parts.isEmpty() && !present(content)) {
      throw GatewayException.invalid(at + ".content", "an assistant message needs 'content' or 'tool_calls'");
    }
    return List.copyOf(parts);
  }

  /** A string, or the joined text of an array of text (and refusal) parts. */
  private static String textOnly(JsonNode content, String at, boolean required) {
    if (content == null || content.isNull()) {
      if (required) {
        throw GatewayException.invalid(at, "'content' is required");
      }
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (!content.isArray()) {
      throw GatewayException.invalid(at, "'content' must be a string or an array of text parts");
    }
    StringBuilder text = new StringBuilder();
    for (int j = 0; j < content.size(); j++) {
      JsonNode p = content.get(j);
      String type = p.path("type").asText("");
      String field = type.equals("refusal") ? "refusal" : "text";
      if (!type.equals("text") && !type.equals("refusal")) {
        throw GatewayException.invalid(at + "[" + j + "].type", "only 'text' parts are allowed here");
      }
      text.append(requiredString(p, field, at + "[" + j + "]." + field));
    }
    return text.toString();
  }

  private static List<ToolDef> tools(JsonNode tools) {
    if (!present(tools)) {
      return List.of();
    }
    if (!tools.isArray()) {
      throw GatewayException.invalid("tools", "'tools' must be an array");
    }
    List<ToolDef> defs = new ArrayList<>();
    for (int i = 0; i < tools.size(); i++) {
      String at = "tools[" + i + "]";
      JsonNode tool = tools.get(i);
      if (!tool.isObject() || !"function".equals(tool.path("type").asText())) {
        throw GatewayException.invalid(at + ".type", "only tools of type 'function' are supported");
      }
      JsonNode function = tool.get("function");
      if (function == null || !function.isObject()) {
        throw GatewayException.invalid(at + ".function", "'function' is required and must be an object");
      }
      String name = requiredString(function, "name", at + ".function.name");
      JsonNode description = function.get("description");
      if (present(description) && !description.isTextual()) {
        throw GatewayException.invalid(at + ".function.description", "'description' must be a string");
      }
      JsonNode parameters = function.get("parameters");
      if (present(parameters) && !parameters.isObject()) {
        throw GatewayException.invalid(at + ".function.parameters", "'parameters' must be a JSON Schema object");
      }
      defs.add(new ToolDef(name, present(description) ? description.asText() : null,
          present(parameters) ? parameters : null));
    }
    return List.copyOf(defs);
  }

  private static ToolChoice toolChoice(JsonNode choice) {
    if (!present(choice)) {
      return null;
    }
    if (choice.isTextual()) {
      return switch (choice.asText()) {
        case "auto" -> new ToolChoice.Auto();
        case "none" -> new ToolChoice.None();
        case "required" -> new ToolChoice.Any();
        default -> throw GatewayException.invalid("tool_choice",
            "'tool_choice' must be 'auto', 'none', 'required' or {\"type\":\"function\",\"function\":{\"name\":...}}");
      };
    }
    if (choice.isObject() && "function".equals(choice.path("type").asText())
        && choice.path("function").path("name").isTextual()) {
      return new ToolChoice.Named(choice.get("function").get("name").asText());
    }
    throw GatewayException.invalid("tool_choice",
        "'tool_choice' must be 'auto', 'none', 'required' or {\"type\":\"function\",\"function\":{\"name\":...}}");
  }

  private static List<String> stop(JsonNode stop) {
    if (!present(stop)) {
      return List.of();
    }
    if (stop.isTextual()) {
      return List.of(stop.asText());
    }
    if (!stop.isArray()) {
      throw GatewayException.invalid("stop", "'stop' must be a string or an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode s : stop) {
      if (!s.isTextual()) {
        throw GatewayException.invalid("stop", "'stop' must be a string or an array of strings");
      }
      out.add(s.asText());
    }
    return List.copyOf(out);
  }

  private static String requiredString(JsonNode node, String field) {
    return requiredString(node, field, field);
  }

  private static String requiredString(JsonNode node, String field, String param) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw GatewayException.invalid(param, "'" + field + "' is required");
    }
    if (!v.isTextual()) {
      throw GatewayException.invalid(param, "'" + field + "' must be a string");
    }
    if (v.asText().isEmpty() && field.equals("model")) {
      throw GatewayException.invalid(param, "'model' must not be empty");
    }
    return v.asText();
  }

  private static Integer positiveInt(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (!present(v)) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
      throw GatewayException.invalid(field, "'" + field + "' must be an integer of at least 1");
    }
    return v.intValue();
  }

  private static Double number(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (!present(v)) {
      return null;
    }
    if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
      throw GatewayException.invalid(field, "'" + field + "' must be a finite number");
    }
    return v.doubleValue();
  }

  private static boolean optionalBoolean(JsonNode node, String field, String param) {
    JsonNode v = node.get(field);
    if (!present(v)) {
      return false;
    }
    if (!v.isBoolean()) {
      throw GatewayException.invalid(param, "'" + field + "' must be a boolean");
    }
    return v.booleanValue();
  }

  private static boolean present(JsonNode v) {
    return v != null && !v.isNull() && !v.isMissingNode();
  }
}
