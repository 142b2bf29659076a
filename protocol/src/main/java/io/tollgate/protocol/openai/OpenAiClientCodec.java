package io.tollgate.protocol.openai;

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
import io.tollgate.protocol.translate.codec.MintedIds;
import io.tollgate.protocol.usage.Usage;

/** Clients speaking OpenAI Chat Completions: request validation, {@code chat.completion} answers, chunk streams. */
public enum OpenAiClientCodec implements ClientCodec {
  INSTANCE;

  private static final String ID_PREFIX = "chatcmpl-";

  @Override
  public ClientApi api() {
    return ClientApi.OPENAI;
  }

  @Override
  public ChatRequest decodeRequest(JsonNode body) {
    return OpenAiRequestDecoder.decode(body);
  }

  @Override
  public byte[] encodeResponse(ChatRequest request, ChatResponse response) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("id", responseId(response.id()));
    root.put("object", "chat.completion");
    root.put("created", System.currentTimeMillis() / 1000);
    root.put("model", request.model());
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    StringBuilder text = new StringBuilder();
    ArrayNode calls = Json.MAPPER.createArrayNode();
    for (Part p : response.content()) {
      if (p instanceof Part.Text t) {
        text.append(t.text());
      } else if (p instanceof Part.ToolCall c) {
        ObjectNode call = calls.addObject();
        call.put("id", c.id());
        call.put("type", "function");
        call.putObject("function").put("name", c.name()).put("arguments", c.argumentsJson());
      }
    }
    if (text.length() == 0 && !calls.isEmpty()) {
      message.putNull("content");
    } else {
      message.put("content", text.toString());
    }
    if (!calls.isEmpty()) {
      message.set("tool_calls", calls);
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", OpenAiFinishReasons.toOpenAi(response.stopReason(), request));
    root.set("usage", OpenAiUsage.render(response.usage() == null ? Usage.ZERO : response.usage()));
    return Json.bytes(root);
  }

  @Override
  public ClientStreamEncoder newStreamEncoder(ChatRequest request) {
    return new OpenAiStreamEncoder(request);
  }

  /** The provider's id when it already looks like OpenAI's, else a freshly minted {@code chatcmpl-} id. */
  static String responseId(String providerId) {
    if (providerId != null && providerId.startsWith(ID_PREFIX)) {
      return providerId;
    }
    return ID_PREFIX + MintedIds.randomSuffix(24);
  }
}
