package io.tollgate.protocol.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.Message;
import io.tollgate.protocol.canonical.Part;
import io.tollgate.protocol.canonical.Role;
import io.tollgate.protocol.canonical.ToolChoice;
import io.tollgate.protocol.canonical.ToolDef;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a Chat Completions body for a provider. An OpenAI client's own body is kept whole (so
 * {@code seed}, {@code response_format}, {@code user} ... survive); any other client's request is
 * rebuilt from the canonical form. A streaming request always asks the provider for usage.
 */
final class OpenAiRequestEncoder {
  private OpenAiRequestEncoder() {}

  /**
   * {@code capField}: where the provider wants the output cap ({@code max_tokens} or {@code
   * max_completion_tokens}); null: where the client put it, else {@code max_tokens}.
   */
  static ObjectNode encode(ChatRequest request, String upstreamModel, String capField) {
    ObjectNode body;
    if (request.clientApi() == ClientApi.OPENAI && request.original() != null && request.original().isObject()) {
      body = (ObjectNode) request.original().deepCopy();
    } else {
      body = fromCanonical(request);
    }
    body.put("model", upstreamModel);
    // the output cap is always explicit: without it the provider would use its own maximum,
    // which the budget did not reserve
    if (capField == null) {
      if (request.maxTokens() != null && !body.hasNonNull("max_tokens") && !body.hasNonNull("max_completion_tokens")) {
        body.put("max_tokens", request.maxTokens());
      }
    } else {
      String otherField = capField.equals("max_tokens") ? "max_completion_tokens" : "max_tokens";
      if (body.hasNonNull(otherField) && !body.hasNonNull(capField)) {
        body.set(capField, body.get(otherField));
      }
      body.remove(otherField);
      if (request.maxTokens() != null && !body.hasNonNull(capField)) {
        body.put(capField, request.maxTokens());
      }
    }
    if (request.stream()) {
      body.put("stream", true);
      ObjectNode options = body.get("stream_options") instanceof ObjectNode o ? o : body.putObject("stream_options");
      options.put("include_usage", true);
    }
    return body;
  }

  private static ObjectNode fromCanonical(ChatRequest request) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("model", "");
    ArrayNode messages = body.putArray("messages");
    if (request.system() != null && !request.system().isEmpty()) {
      messages.addObject().put("role", "system").put("content", request.system());
    }
    for (Message m : request.messages()) {
      if (m.role() == Role.ASSISTANT) {
        assistant(messages, m.parts());
      } else {
        user(messages, m.parts());
      }
    }
    if (request.tools() != null && !request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDef t : request.tools()) {
        ObjectNode function = tools.addObject().put("type", "function").putObject("function");
        function.put("name", t.name());
        if (t.description() != null) {
          function.put("description", t.description());
        }
        if (t.parameters() != null) {
          function.set("parameters", t.parameters());
        }
      }
    }
    if (request.toolChoice() != null) {
      if (request.toolChoice() instanceof ToolChoice.Named named) {
        ObjectNode choice = body.putObject("tool_choice").put("type", "function");
        choice.putObject("function").put("name", named.name());
      } else {
        ToolChoice choice = request.toolChoice();
        body.put("tool_choice",
            choice instanceof ToolChoice.None ? "none" : choice instanceof ToolChoice.Any ? "required" : "auto");
      }
    }
    if (request.temperature() != null) {
      body.put("temperature", request.temperature());
    }
    if (request.topP() != null) {
      body.put("top_p", request.topP());
    }
    if (request.stop() != null && !request.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop");
      request.stop().forEach(stop::add);
    }
    return body;
  }

  /** Tool results become {@code tool} messages, placed first: they must follow the assistant's calls. */
  private static void user(ArrayNode messages, List<Part> parts) {
    List<Part> content = new ArrayList<>();
    for (Part p : parts) {
      if (p instanceof Part.ToolResult r) {
        messages.addObject().put("role", "tool").put("tool_call_id", r.toolCallId()).put("content", r.content());
      } else if (p instanceof Part.Text || p instanceof Part.Image) {
        content.add(p);
      }
    }
    if (content.isEmpty()) {
      return;
    }
    ObjectNode message = messages.addObject().put("role", "user");
    if (content.size() == 1 && content.get(0) instanceof Part.Text t) {
      message.put("content", t.text());
      return;
    }
    ArrayNode array = message.putArray("content");
    for (Part p : content) {
      if (p instanceof Part.Text t) {
        array.addObject().put("type", "text").put("text", t.text());
      } else if (p instanceof Part.Image i) {
        String url = i.url() != null ? i.url() : "data:" + i.mediaType() + ";base64," + i.data();
        array.addObject().put("type", "image_url").putObject("image_url").put("url", url);
      }
    }
  }

  private static void assistant(ArrayNode messages, List<Part> parts) {
    StringBuilder text = new StringBuilder();
    ArrayNode calls = Json.MAPPER.createArrayNode();
    for (Part p : parts) {
      if (p instanceof Part.Text t) {
        text.append(t.text());
      } else if (p instanceof Part.ToolCall c) {
        ObjectNode call = calls.addObject().put("id", c.id()).put("type", "function");
        call.putObject("function").put("name", c.name()).put("arguments", c.argumentsJson());
      }
    }
    if (text.length() == 0 && calls.isEmpty()) {
      return;
    }
    ObjectNode message = messages.addObject().put("role", "assistant");
    if (text.length() == 0) {
      message.putNull("content");
    } else {
      message.put("content", text.toString());
    }
    if (!calls.isEmpty()) {
      message.set("tool_calls", calls);
    }
  }
}
