package io.tollgate.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;

/** Gemini generateContent / streamGenerateContent; frames end with CRLF CRLF, as Google's do. */
final class GeminiChatWire implements ChatWire {

  @Override
  public ChatCall read(JsonNode body, String pathModel, boolean pathStreams) {
    int tokens = TextCount.messageTokens(body.path("contents"), "parts");
    JsonNode system = first(body, "systemInstruction", "system_instruction");
    if (system != null && !system.isNull()) {
      tokens += TextCount.PER_MESSAGE + TextCount.words(system.get("parts"));
    }
    String lastUser = TextCount.lastUserText(body.path("contents"), "parts", true);
    List<ToolSpec> tools = new ArrayList<>();
    for (JsonNode t : body.path("tools")) {
      JsonNode decls = first(t, "functionDeclarations", "function_declarations");
      if (decls == null) {
        continue;
      }
      for (JsonNode fn : decls) {
        if (fn.hasNonNull("name")) {
          JsonNode schema = first(fn, "parameters", "parametersJsonSchema");
          tools.add(new ToolSpec(fn.get("name").asText(),
              OpenAiChatWire.firstProperty(schema == null ? FakeJson.object() : schema)));
        }
      }
    }
    JsonNode toolConfig = first(body, "toolConfig", "tool_config");
    JsonNode calling = toolConfig == null ? null : first(toolConfig, "functionCallingConfig", "function_calling_config");
    ToolChoiceMode mode = ToolChoiceMode.AUTO;
    String named = null;
    if (calling != null) {
      String m = calling.path("mode").asText("AUTO");
      if (m.equals("NONE")) {
        mode = ToolChoiceMode.NONE;
      } else if (m.equals("ANY")) {
        JsonNode allowed = first(calling, "allowedFunctionNames", "allowed_function_names");
        if (allowed != null && allowed.size() > 0) {
          mode = ToolChoiceMode.NAMED;
          named = allowed.get(0).asText();
        } else {
          mode = ToolChoiceMode.ANY;
        }
      }
    }
    JsonNode generation = first(body, "generationConfig", "generation_config");
    Integer maxTokens = generation == null ? null
        : ChatCall.positive(generation, generation.has("maxOutputTokens") ? "maxOutputTokens" : "max_output_tokens");
    return new ChatCall(pathModel, pathStreams, false, lastUser, tokens, tools, mode, named, maxTokens, 1);
  }

  private static JsonNode first(JsonNode node, String camel, String snake) {
    JsonNode v = node.get(camel);
    return v != null ? v : node.get(snake);
  }

  @Override
  public byte[] complete(ChatAnswer a) {
    ObjectNode root = FakeJson.object();
    ObjectNode candidate = root.putArray("candidates").addObject();
    ObjectNode content = candidate.putObject("content");
    ObjectNode part = content.putArray("parts").addObject();
    if (a.toolCall() == null) {
      part.put("text", a.text());
    } else {
      functionCall(part, a);
    }
    content.put("role", "model");
    candidate.put("finishReason", finishReason(a));
    candidate.put("index", 0);
    root.set("usageMetadata", usage(a, a.completionTokens()));
    root.put("modelVersion", a.model());
    root.put("responseId", "fake" + a.seq());
    return Json.bytes(root);
  }

  @Override
  public StreamScript stream(ChatAnswer a) {
    List<ByteString> body = new ArrayList<>();
    if (a.toolCall() == null) {
      List<String> pieces = a.textPieces();
      for (int i = 0; i < pieces.size(); i++) {
        boolean last = i == pieces.size() - 1;
        int soFar = last ? a.completionTokens() : i + 1;
        body.add(chunk(a, FakeJson.object().put("text", pieces.get(i)), last, soFar));
      }
    } else {
      body.add(chunk(a, functionCall(FakeJson.object(), a), true, a.completionTokens()));
    }
    return new StreamScript(List.of(), body, List.of());
  }

  @Override
  public ByteString inBandErrorFrame() {
    return ByteString.fromString("data: " + new String(inBandErrorBody(), java.nio.charset.StandardCharsets.UTF_8)
        + "\r\n\r\n");
  }

  @Override
  public byte[] inBandErrorBody() {
    return Json.bytes(ErrorShapes.geminiBody(500, "INTERNAL", "An internal error has occurred. Please retry."));
  }

  private static String finishReason(ChatAnswer a) {
    return a.truncated() ? "MAX_TOKENS" : "STOP";
  }

  private static ObjectNode functionCall(ObjectNode part, ChatAnswer a) {
    ObjectNode call = part.putObject("functionCall");
    call.put("name", a.toolCall().name());
    call.putObject("args").put(a.toolCall().argumentKey(), "fake");
    return part;
  }

  private static ByteString chunk(ChatAnswer a, ObjectNode part, boolean last, int candidatesSoFar) {
    ObjectNode root = FakeJson.object();
    ObjectNode candidate = root.putArray("candidates").addObject();
    ObjectNode content = candidate.putObject("content");
    content.putArray("parts").add(part);
    content.put("role", "model");
    if (last) {
      candidate.put("finishReason", finishReason(a));
    }
    candidate.put("index", 0);
    root.set("usageMetadata", usage(a, candidatesSoFar));
    root.put("modelVersion", a.model());
    root.put("responseId", "fake" + a.seq());
    return ByteString.fromString("data: " + Json.text(root) + "\r\n\r\n");
  }

  /** {@code promptTokenCount} includes the cached tokens. */
  private static ObjectNode usage(ChatAnswer a, int candidates) {
    ObjectNode u = FakeJson.object();
    u.put("promptTokenCount", a.promptTokens());
    u.put("candidatesTokenCount", candidates);
    u.put("totalTokenCount", a.promptTokens() + candidates);
    if (a.cachedTokens() > 0) {
      u.put("cachedContentTokenCount", a.cachedTokens());
    }
    return u;
  }
}
