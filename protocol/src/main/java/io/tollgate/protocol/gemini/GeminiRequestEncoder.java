package io.tollgate.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.Message;
import io.tollgate.protocol.canonical.Part;
import io.tollgate.protocol.canonical.Role;
import io.tollgate.protocol.canonical.ToolChoice;
import io.tollgate.protocol.canonical.ToolDef;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** Builds a Gemini {@code generateContent} body from the canonical request. */
final class GeminiRequestEncoder {
  private GeminiRequestEncoder() {}

  static ObjectNode encode(ChatRequest request) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    Map<String, String> toolNames = new HashMap<>();
    for (Message m : request.messages()) {
      for (Part p : m.parts()) {
        if (p instanceof Part.ToolCall c) {
          toolNames.put(c.id(), c.name());
        }
      }
    }
    ArrayNode contents = body.putArray("contents");
    for (Message m : request.messages()) {
      ArrayNode parts = Json.MAPPER.createArrayNode();
      for (Part p : m.parts()) {
        part(p, parts, toolNames);
      }
      if (!parts.isEmpty()) {
        ObjectNode content = contents.addObject();
        content.put("role", m.role() == Role.ASSISTANT ? "model" : "user");
        content.set("parts", parts);
      }
    }
    if (request.system() != null && !request.system().isEmpty()) {
      body.putObject("systemInstruction").putArray("parts").addObject().put("text", request.system());
    }
    if (request.tools() != null && !request.tools().isEmpty()) {
      ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
      for (ToolDef t : request.tools()) {
        ObjectNode d = declarations.addObject().put("name", t.name());
        if (t.description() != null) {
          d.put("description", t.description());
        }
        JsonNode parameters = GeminiSchemas.forParameters(t.parameters());
        if (parameters != null) {
          d.set("parameters", parameters);
        }
      }
    }
    if (request.toolChoice() != null) {
      ObjectNode config = body.putObject("toolConfig").putObject("functionCallingConfig");
      ToolChoice choice = request.toolChoice();
      if (choice instanceof ToolChoice.Named named) {
        config.put("mode", "ANY");
        config.putArray("allowedFunctionNames").add(named.name());
      } else {
        config.put("mode", choice instanceof ToolChoice.None ? "NONE" : choice instanceof ToolChoice.Any ? "ANY" : "AUTO");
      }
    }
    ObjectNode generation = Json.MAPPER.createObjectNode();
    if (request.maxTokens() != null) {
      generation.put("maxOutputTokens", request.maxTokens());
    }
    if (request.temperature() != null) {
      generation.put("temperature", request.temperature());
    }
    if (request.topP() != null) {
      generation.put("topP", request.topP());
    }
    if (request.stop() != null && !request.stop().isEmpty()) {
      ArrayNode stop = generation.putArray("stopSequences");
      request.stop().forEach(stop::add);
    }
    if (!generation.isEmpty()) {
      body.set("generationConfig", generation);
    }
    return body;
  }

  private static void part(Part p, ArrayNode parts, Map<String, String> toolNames) {
    if (p instanceof Part.Text t) {
      parts.addObject().put("text", t.text());
    } else if (p instanceof Part.Image i) {
      if (i.data() != null) {
        parts.addObject().putObject("inlineData").put("mimeType", i.mediaType()).put("data", i.data());
      } else {
        ObjectNode file = parts.addObject().putObject("fileData");
        if (i.mediaType() != null) {
          file.put("mimeType", i.mediaType());
        }
        file.put("fileUri", i.url());
      }
    } else if (p instanceof Part.ToolCall c) {
      parts.addObject().putObject("functionCall").put("name", c.name()).set("args", arguments(c));
    } else if (p instanceof Part.ToolResult r) {
      String name = toolNames.get(r.toolCallId());
      if (name == null) {
        throw GatewayException.invalid("messages",
            "the tool result for call '" + r.toolCallId() + "' does not answer any earlier tool call");
      }
      ObjectNode response = parts.addObject().putObject("functionResponse").put("name", name).putObject("response");
      response.put("content", r.content());
    }
    // Thinking blocks are another provider's signed reasoning: Gemini cannot take them back.
  }

  private static JsonNode arguments(Part.ToolCall c) {
    String json = c.argumentsJson();
    if (json == null || json.isBlank()) {
      return Json.MAPPER.createObjectNode();
    }
    try {
      JsonNode args = Json.MAPPER.readTree(json);
      if (args != null && args.isObject()) {
        return args;
      }
    } catch (IOException e) {
      // reported below
    }
    throw GatewayException.invalid("messages",
        "the arguments of tool call '" + c.id() + "' must be a JSON object");
  }
}
