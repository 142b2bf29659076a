package io.tollgate.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.ErrorBodies;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.StreamEvent;
import io.tollgate.protocol.translate.codec.ClientStreamEncoder;
import io.tollgate.protocol.usage.Usage;

/**
 * Renders canonical stream events as Chat Completions chunks: {@code data: {...}} frames with no
 * {@code event:} lines, one {@code id} and {@code created} for the whole stream, a first chunk
 * announcing the assistant role, {@code "usage": null} on every chunk only when the client asked
 * for usage, and the usage chunk plus {@code [DONE]} at a clean end.
 */
final class OpenAiStreamEncoder implements ClientStreamEncoder {
  private final ChatRequest request;
  private final long created = System.currentTimeMillis() / 1000;
  private String id;
  private boolean roleSent;

  OpenAiStreamEncoder(ChatRequest request) {
    this.request = request;
  }

  @Override
  public String encode(StreamEvent event) {
    if (event instanceof StreamEvent.Start s) {
      if (id == null) {
        id = OpenAiClientCodec.responseId(s.id());
      }
      return roleChunk();
    }
    if (event instanceof StreamEvent.TextDelta t) {
      if (t.text().isEmpty()) {
        return "";
      }
      ObjectNode delta = Json.MAPPER.createObjectNode().put("content", t.text());
      return roleChunk() + chunk(delta, null);
    }
    if (event instanceof StreamEvent.ToolCallStart c) {
      ObjectNode call = Json.MAPPER.createObjectNode();
      call.put("index", c.index());
      call.put("id", c.id());
      call.put("type", "function");
      call.putObject("function").put("name", c.name()).put("arguments", "");
      return roleChunk() + chunk(toolCalls(call), null);
    }
    if (event instanceof StreamEvent.ToolCallDelta d) {
      if (d.argumentsFragment().isEmpty()) {
        return "";
      }
      ObjectNode call = Json.MAPPER.createObjectNode();
      call.put("index", d.index());
      call.putObject("function").put("arguments", d.argumentsFragment());
      return roleChunk() + chunk(toolCalls(call), null);
    }
    if (event instanceof StreamEvent.Finish f) {
      return roleChunk() + chunk(Json.MAPPER.createObjectNode(), OpenAiFinishReasons.toOpenAi(f.reason(), request));
    }
    // Thinking has no Chat Completions field; usage and the end are rendered by finish().
    return "";
  }

  @Override
  public String finish(Usage usage) {
    StringBuilder out = new StringBuilder();
    if (request.includeUsage()) {
      ObjectNode chunk = envelope();
      chunk.putArray("choices");
      chunk.set("usage", OpenAiUsage.render(usage == null ? Usage.ZERO : usage));
      out.append(frame(chunk));
    }
    return out.append("data: [DONE]\n\n").toString();
  }

  @Override
  public String fail(ErrorKind kind, String message) {
    return frame(ErrorBodies.render(ClientApi.OPENAI, kind, message, null, null));
  }

  private String roleChunk() {
    if (roleSent) {
      return "";
    }
    roleSent = true;
    ObjectNode delta = Json.MAPPER.createObjectNode().put("role", "assistant").put("content", "");
    return chunk(delta, null);
  }

  private static ObjectNode toolCalls(ObjectNode call) {
    ObjectNode delta = Json.MAPPER.createObjectNode();
    delta.putArray("tool_calls").add(call);
    return delta;
  }

  private String chunk(ObjectNode delta, String finishReason) {
    ObjectNode chunk = envelope();
    ArrayNode choices = chunk.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    if (request.includeUsage()) {
      chunk.putNull("usage");
    }
    return frame(chunk);
  }

  private ObjectNode envelope() {
    if (id == null) {
      id = OpenAiClientCodec.responseId(null);
    }
    ObjectNode chunk = Json.MAPPER.createObjectNode();
    chunk.put("id", id);
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", created);
    chunk.put("model", request.model());
    return chunk;
  }

  private static String frame(JsonNode json) {
    return "data: " + json.toString() + "\n\n";
  }
}
