package io.tollgate.protocol.anthropic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.Message;
import io.tollgate.protocol.canonical.Part;
import io.tollgate.protocol.canonical.Role;
import io.tollgate.protocol.canonical.ToolChoice;
import io.tollgate.protocol.canonical.ToolDef;
import java.util.ArrayList;
import java.util.List;

/** Builds the body of an Anthropic Messages request from a canonical request. */
final class AnthropicRequestEncoder {
  private AnthropicRequestEncoder() {}

  static ObjectNode body(ChatRequest request, String upstreamModel) {
    if (request.clientApi() == ClientApi.ANTHROPIC && request.original() != null && request.original().isObject()) {
      // the client's own body keeps what the canonical form does not model: thinking, metadata,
      // top_k, cache_control, redacted thinking and signed thinking blocks, byte for byte
      ObjectNode copy = request.original().deepCopy();
      copy.put("model", upstreamModel);
      if (request.stream()) {
        copy.put("stream", true);
      }
      return copy;
    }
    ObjectNode body = AnthropicWire.NODES.objectNode();
    body.put("model", upstreamModel);
    body.put("max_tokens", request.maxTokens() != null ? request.maxTokens() : AnthropicBackendCodec.DEFAULT_MAX_TOKENS);
    if (request.system() != null && !request.system().isEmpty()) {
      body.put("system", request.system());
    }
    body.set("messages", messages(request.messages()));
    if (request.tools() != null && !request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDef t : request.tools()) {
        ObjectNode tool = tools.addObject();
        tool.put("name", t.name());
        if (t.description() != null) {
          tool.put("description", t.description());
        }
        if (t.parameters() != null && t.parameters().isObject()) {
          tool.set("input_schema", t.parameters().deepCopy());
        } else {
          tool.putObject("input_schema").put("type", "object");
        }
      }
    }
    if (request.toolChoice() != null) {
      ObjectNode choice = body.putObject("tool_choice");
      ToolChoice tc = request.toolChoice();
      if (tc instanceof ToolChoice.Named n) {
        choice.put("type", "tool");
        choice.put("name", n.name());
      } else if (tc instanceof ToolChoice.Any) {
        choice.put("type", "any");
      } else if (tc instanceof ToolChoice.None) {
        choice.put("type", "none");
      } else {
        choice.put("type", "auto");
      }
    }
    if (request.stop() != null && !request.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop_sequences");
      request.stop().forEach(stop::add);
    }
    if (request.temperature() != null) {
      body.put("temperature", request.temperature());
    }
    if (request.topP() != null) {
      body.put("top_p", request.topP());
    }
    if (request.stream()) {
      body.put("stream", true);
    }
    return body;
  }

  /**
   * Anthropic wants alternating turns with non-empty content: consecutive same-role turns are
   * merged, empty text is dropped, and a user turn's tool results come before its other blocks.
   */
  private static ArrayNode messages(List<Message> messages) {
    ArrayNode out = AnthropicWire.NODES.arrayNode();
    Role lastRole = null;
    List<ObjectNode> pending = new ArrayList<>();
    for (Message m : messages) {
      List<ObjectNode> blocks = new ArrayList<>();
      for (Part p : m.parts()) {
        ObjectNode b = block(p);
        if (b != null) {
          blocks.add(b);
        }
      }
      if (blocks.isEmpty()) {
        continue;
      }
      if (m.role() != lastRole && lastRole != null) {
        emit(out, lastRole, pending);
        pending = new ArrayList<>();
      }
      lastRole = m.role();
      pending.addAll(blocks);
    }
    if (lastRole != null) {
      emit(out, lastRole, pending);
    }
    return out;
  }

  private static void emit(ArrayNode out, Role role, List<ObjectNode> blocks) {
    ObjectNode msg = out.addObject();
    msg.put("role", role == Role.USER ? "user" : "assistant");
    ArrayNode content = msg.putArray("content");
    if (role == Role.USER) {
      blocks.stream().filter(b -> "tool_result".equals(b.path("type").asText())).forEach(content::add);
      blocks.stream().filter(b -> !"tool_result".equals(b.path("type").asText())).forEach(content::add);
    } else {
      blocks.forEach(content::add);
    }
  }

  private static ObjectNode block(Part p) {
    ObjectNode b = AnthropicWire.NODES.objectNode();
    if (p instanceof Part.Text t) {
      if (t.text() == null || t.text().isEmpty()) {
        return null;
      }
      b.put("type", "text");
      b.put("text", t.text());
    } else if (p instanceof Part.Image i) {
      b.put("type", "image");
      ObjectNode source = b.putObject("source");
      if (i.url() != null) {
        source.put("type", "url");
        source.put("url", i.url());
      } else {
        source.put("type", "base64");
        source.put("media_type", i.mediaType());
        source.put("data", i.data());
      }
    } else if (p instanceof Part.ToolCall c) {
      b.put("type", "tool_use");
      b.put("id", c.id());
      b.put("name", c.name());
      b.set("input", AnthropicWire.toolInput(c.argumentsJson()));
    } else if (p instanceof Part.ToolResult r) {
      b.put("type", "tool_result");
      b.put("tool_use_id", r.toolCallId());
      b.put("content", r.content() == null ? "" : r.content());
      if (r.isError()) {
        b.put("is_error", true);
      }
    } else if (p instanceof Part.Thinking th) {
      // only a signed thinking block is valid for Anthropic; other providers' reasoning is dropped
      if (th.signature() == null || th.signature().isEmpty()) {
        return null;
      }
      b.put("type", "thinking");
      b.put("thinking", th.text() == null ? "" : th.text());
      b.put("signature", th.signature());
    } else {
      return null;
    }
    return b;
  }
}
