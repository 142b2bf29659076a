package io.tollgate.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;

/** OpenAI Chat Completions (also served on the Azure deployment paths). */
final class OpenAiChatWire implements ChatWire {
  private static final ByteString DONE = ByteString.fromString("data: [DONE]\n\n");
  private static final String FINGERPRINT = "fp_fake";

  @Override
  public ChatCall read(JsonNode body, String pathModel, boolean pathStreams) {
    String model = FakeJson.text(body, "model", pathModel == null ? "gpt-4o-mini" : pathModel);
    boolean stream = body.path("stream").asBoolean(false);
    boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    int tokens = TextCount.messageTokens(body.path("messages"), "content");
    String lastUser = TextCount.lastUserText(body.path("messages"), "content", false);
    List<ToolSpec> tools = new ArrayList<>();
    for (JsonNode t : body.path("tools")) {
      JsonNode fn = t.path("function");
      if (fn.hasNonNull("name")) {
        tools.add(new ToolSpec(fn.get("name").asText(), firstProperty(fn.path("parameters"))));
      }
    }
    JsonNode choice = body.get("tool_choice");
    ToolChoiceMode mode = ToolChoiceMode.AUTO;
    String named = null;
    if (choice != null && choice.isTextual()) {
      mode = switch (choice.asText()) {
        case "none" -> ToolChoiceMode.NONE;
        case "required" -> ToolChoiceMode.ANY;
        default -> ToolChoiceMode.AUTO;
      };
    } else if (choice != null && choice.path("function").hasNonNull("name")) {
      mode = ToolChoiceMode.NAMED;
      named = choice.path("function").get("name").asText();
    }
    Integer maxTokens = ChatCall.positive(body, "max_completion_tokens");
    Integer n = ChatCall.positive(body, "n");
    return new ChatCall(model, stream, includeUsage, lastUser, tokens, tools, mode, named,
        maxTokens != null ? maxTokens : ChatCall.positive(body, "max_tokens"), n == null ? 1 : n);
  }

  static String firstProperty(JsonNode schema) {
    JsonNode props = schema.path("properties");
    return props.isObject() && props.size() > 0 ? props.fieldNames().next() : "input";
  }

  @Override
  public byte[] complete(ChatAnswer a) {
    ObjectNode root = envelope(a, "chat.completion");
    ArrayNode choices = root.putArray("choices");
    for (int i = 0; i < a.choices(); i++) {
      choice(a, choices.addObject(), i);
    }
    root.set("usage", usage(a));
    return Json.bytes(root);
  }

  private static void choice(ChatAnswer a, ObjectNode choice, int index) {
    choice.put("index", index);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    if (a.toolCall() == null) {
      message.put("content", a.text());
    } else {
      message.putNull("content");
      ObjectNode call = message.putArray("tool_calls").addObject();
      call.put("id", callId(a));
      call.put("type", "function");
      ObjectNode fn = call.putObject("function");
      fn.put("name", a.toolCall().name());
      fn.put("arguments", a.toolCall().argumentsJson());
    }
    message.putNull("refusal");
    message.putArray("annotations");
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason(a));
  }

  @Override
  public StreamScript stream(ChatAnswer a) {
    ObjectNode first = FakeJson.object();
    first.put("role", "assistant");
    List<ByteString> body = new ArrayList<>();
    if (a.toolCall() == null) {
      first.put("content", "");
      first.putNull("refusal");
      // with n > 1 the completions' chunks interleave, each carrying its choice index
      for (String piece : a.textPieces()) {
        for (int i = 0; i < a.choices(); i++) {
          ObjectNode delta = FakeJson.object();
          delta.put("content", piece);
          body.add(frame(chunk(a, delta, null, i)));
        }
      }
    } else {
      first.putNull("content");
      ObjectNode call = first.putArray("tool_calls").addObject();
      call.put("index", 0);
      call.put("id", callId(a));
      call.put("type", "function");
      ObjectNode fn = call.putObject("function");
      fn.put("name", a.toolCall().name());
      fn.put("arguments", "");
      first.putNull("refusal");
      for (String fragment : a.toolCall().fragments()) {
        ObjectNode delta = FakeJson.object();
        ObjectNode part = delta.putArray("tool_calls").addObject();
        part.put("index", 0);
        part.putObject("function").put("arguments", fragment);
        body.add(frame(chunk(a, delta, null)));
      }
    }
    List<ByteString> tail = new ArrayList<>(3);
    for (int i = 0; i < a.choices(); i++) {
      tail.add(frame(chunk(a, FakeJson.object(), finishReason(a), i)));
    }
    if (a.includeUsage()) {
      ObjectNode usageChunk = envelope(a, "chat.completion.chunk");
      usageChunk.putArray("choices");
      usageChunk.set("usage", usage(a));
      tail.add(frame(usageChunk));
    }
    tail.add(DONE);
    List<ByteString> head = new ArrayList<>();
    head.add(frame(chunk(a, first, null, 0)));
    for (int i = 1; i < a.choices(); i++) {
      head.add(frame(chunk(a, FakeJson.object().put("role", "assistant").put("content", ""), null, i)));
    }
    return new StreamScript(head, body, tail);
  }

  @Override
  public ByteString inBandErrorFrame() {
    return ByteString.fromString("data: " + new String(inBandErrorBody(), StandardCharsets.UTF_8) + "\n\n");
  }

  @Override
  public byte[] inBandErrorBody() {
    return Json.bytes(ErrorShapes.openAiBody(
        "The server had an error while processing your request. Sorry about that!", "server_error", null));
  }

  private static String finishReason(ChatAnswer a) {
    if (a.toolCall() == null) {
      return a.truncated() ? "length" : "stop";
    }
    return a.namedToolChoice() ? "stop" : "tool_calls";
  }

  private static String callId(ChatAnswer a) {
    return "call_fake" + a.seq();
  }

  private static ObjectNode envelope(ChatAnswer a, String object) {
    ObjectNode root = FakeJson.object();
    root.put("id", "chatcmpl-fake" + a.seq());
    root.put("object", object);
    root.put("created", a.createdSeconds());
    root.put("model", a.model());
    root.put("service_tier", "default");
    root.put("system_fingerprint", FINGERPRINT);
    return root;
  }

  private static ObjectNode chunk(ChatAnswer a, ObjectNode delta, String finishReason) {
    return chunk(a, delta, finishReason, 0);
  }

  private static ObjectNode chunk(ChatAnswer a, ObjectNode delta, String finishReason, int index) {
    ObjectNode root = envelope(a, "chat.completion.chunk");
    ArrayNode choices = root.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", index);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    if (a.includeUsage()) {
      root.putNull("usage");
    }
    return root;
  }

  private static ObjectNode usage(ChatAnswer a) {
    ObjectNode u = FakeJson.object();
    u.put("prompt_tokens", a.promptTokens());
    u.put("completion_tokens", a.completionTokens());
    u.put("total_tokens", a.promptTokens() + a.completionTokens());
    ObjectNode prompt = u.putObject("prompt_tokens_details");
    prompt.put("cached_tokens", a.cachedTokens());
    prompt.put("audio_tokens", 0);
    ObjectNode completion = u.putObject("completion_tokens_details");
    completion.put("reasoning_tokens", 0);
    completion.put("audio_tokens", 0);
    completion.put("accepted_prediction_tokens", 0);
    completion.put("rejected_prediction_tokens", 0);
    return u;
  }

  private static ByteString frame(ObjectNode json) {
    return ByteString.fromString("data: " + Json.text(json) + "\n\n");
  }
}
