package io.tollgate.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.ChatResponse;
import io.tollgate.protocol.canonical.Part;
import io.tollgate.protocol.translate.codec.ClientCodec;
import io.tollgate.protocol.translate.codec.ClientStreamEncoder;

/**
 * The Anthropic Messages API as clients speak it: request validation and decoding, whole answers
 * as a {@code message} object, streams as Anthropic's event sequence.
 */
public enum AnthropicClientCodec implements ClientCodec {
  INSTANCE;

  @Override
  public ClientApi api() {
    return ClientApi.ANTHROPIC;
  }

  @Override
  public ChatRequest decodeRequest(JsonNode body) {
    return AnthropicRequestDecoder.decode(body);
  }

  @Override
  public byte[] encodeResponse(ChatRequest request, ChatResponse response) {
    ArrayNode content = AnthropicWire.NODES.arrayNode();
    boolean hasToolCall = false;
    for (Part p : response.content()) {
      if (p instanceof Part.Text t) {
        ObjectNode b = content.addObject();
        b.put("type", "text");
        b.put("text", t.text());
      } else if (p instanceof Part.ToolCall c) {
        hasToolCall = true;
        ObjectNode b = content.addObject();
        b.put("type", "tool_use");
        b.put("id", AnthropicIds.toolUseId(c.id()));
        b.put("name", c.name());
        b.set("input", AnthropicWire.toolInput(c.argumentsJson()));
      } else if (p instanceof Part.Thinking th) {
        ObjectNode b = content.addObject();
        b.put("type", "thinking");
        b.put("thinking", th.text() == null ? "" : th.text());
        b.put("signature", th.signature() == null ? "" : th.signature());
      }
    }
    ObjectNode root = AnthropicWire.NODES.objectNode();
    root.put("id", AnthropicIds.messageId(response.id()));
    root.put("type", "message");
    root.put("role", "assistant");
    root.put("model", request.model());
    root.set("content", content);
    root.put("stop_reason", AnthropicStopReasons.toWire(response.stopReason(), hasToolCall));
    root.putNull("stop_sequence");
    root.set("usage", AnthropicWire.usage(response.usage()));
    return Json.bytes(root);
  }

  @Override
  public ClientStreamEncoder newStreamEncoder(ChatRequest request) {
    return new AnthropicStreamEncoder(request);
  }
}
