package io.tollgate.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;

/** Anthropic Messages. */
final class AnthropicChatWire implements ChatWire {

  @Override
  public ChatCall read(JsonNode body, String pathModel, boolean pathStreams) {
    String model = FakeJson.text(body, "model", "claude-fake");
    boolean stream = body.path("stream").asBoolean(false);
    int tokens = TextCount.messageTokens(body.path("messages"), "content");
    if (body.hasNonNull("system")) {
      tokens += TextCount.PER_MESSAGE + TextCount.words(body.get("system"));
    }
    String lastUser = TextCount.lastUserText(body.path("messages"), "content", false);
    List<ToolSpec> tools = new ArrayList<>();
    for (JsonNode t : body.path("tools")) {
      if (t.hasNonNull("name")) {
        tools.add(new ToolSpec(t.get("name").asText(), OpenAiChatWire.firstProperty(t.path("input_schema"))));
      }
    }
    JsonNode choice = body.path("tool_choice");
    ToolChoiceMode mode = switch (choice.path("type").asText("auto")) {
      case "any" -> ToolChoiceMode.ANY;
      case "tool" -> ToolChoiceMode.NAMED;
      case "none" -> ToolChoiceMode.NONE;
      default -> ToolChoiceMode.AUTO;
    };
    String named = mode == ToolChoiceMode.NAMED ? FakeJson.text(choice, "name", null) : null;
    if (mode == ToolChoiceMode.NAMED && named == null) {
      mode = ToolChoiceMode.ANY;
    }
    return new ChatCall(model, stream, false, lastUser, tokens, tools, mode, named,
        ChatCall.positive(body, "max_tokens"), 1);
  }

  @Override
  public byte[] complete(ChatAnswer a) {
    ObjectNode root = message(a);
    if (a.toolCall() == null) {
      ObjectNode text = ((com.fasterxml.jackson.databind.node.ArrayNode) root.get("content")).addObject();
      text.put("type", "text");
      text.put("text", a.text());
    } else {
      ObjectNode use = ((com.fasterxml.jackson.databind.node.ArrayNode) root.get("content")).addObject();
      use.put("type", "tool_use");
      use.put("id", toolId(a));
      use.put("name", a.toolCall().name());
      use.putObject("input").put(a.toolCall().argumentKey(), "fake");
    }
    root.put("stop_reason", stopReason(a));
    root.putNull("stop_sequence");
    ObjectNode usage = usage(a);
    usage.put("output_tokens", a.completionTokens());
    root.set("usage", usage);
    return Json.bytes(root);
  }

  @Override
  public StreamScript stream(ChatAnswer a) {
    ObjectNode start = FakeJson.object();
    start.put("type", "message_start");
    ObjectNode msg = message(a);
    msg.putNull("stop_reason");
    msg.putNull("stop_sequence");
    ObjectNode startUsage = usage(a);
    startUsage.put("output_tokens", 1);
    msg.set("usage", startUsage);
    start.set("message", msg);

    ObjectNode blockStart = FakeJson.object();
    blockStart.put("type", "content_block_start");
    blockStart.put("index", 0);
    ObjectNode block = blockStart.putObject("content_block");
    List<ByteString> body = new ArrayList<>();
    if (a.toolCall() == null) {
      block.put("type", "text");
      block.put("text", "");
      for (String piece : a.textPieces()) {
        body.add(delta("text_delta", "text", piece));
      }
    } else {
      block.put("type", "tool_use");
      block.put("id", toolId(a));
      block.put("name", a.toolCall().name());
      block.putObject("input");
      for (String fragment : a.toolCall().fragments()) {
        body.add(delta("input_json_delta", "partial_json", fragment));
      }
    }
    ObjectNode ping = FakeJson.object();
    ping.put("type", "ping");

    ObjectNode blockStop = FakeJson.object();
    blockStop.put("type", "content_block_stop");
    blockStop.put("index", 0);
    ObjectNode messageDelta = FakeJson.object();
    messageDelta.put("type", "message_delta");
    ObjectNode d = messageDelta.putObject("delta");
    d.put("stop_reason", stopReason(a));
    d.putNull("stop_sequence");
    messageDelta.putObject("usage").put("output_tokens", a.completionTokens());
    ObjectNode stop = FakeJson.object();
    stop.put("type", "message_stop");
    return new StreamScript(
        List.of(event("message_start", start), event("content_block_start", blockStart), event("ping", ping)),
        body,
        List.of(event("content_block_stop", blockStop), event("message_delta", messageDelta),
            event("message_stop", stop)));
  }

  @Override
  public ByteString inBandErrorFrame() {
    return event("error", ErrorShapes.anthropicBody("overloaded_error", "Overloaded"));
  }

  @Override
  public byte[] inBandErrorBody() {
    return Json.bytes(ErrorShapes.anthropicBody("overloaded_error", "Overloaded"));
  }

  private static ObjectNode message(ChatAnswer a) {
    ObjectNode root = FakeJson.object();
    root.put("id", "msg_fake" + a.seq());
    root.put("type", "message");
    root.put("role", "assistant");
    root.put("model", a.model());
    root.putArray("content");
    return root;
  }

  /** {@code input_tokens} excludes the cached tokens, which are reported apart. */
  private static ObjectNode usage(ChatAnswer a) {
    ObjectNode u = FakeJson.object();
    u.put("input_tokens", a.promptTokens() - a.cachedTokens());
    u.put("cache_creation_input_tokens", 0);
    u.put("cache_read_input_tokens", a.cachedTokens());
    return u;
  }

  private static String stopReason(ChatAnswer a) {
    if (a.truncated()) {
      return "max_tokens";
    }
    return a.toolCall() == null ? "end_turn" : "tool_use";
  }

  private static String toolId(ChatAnswer a) {
    return "toolu_fake" + a.seq();
  }

  private static ByteString delta(String type, String field, String value) {
    ObjectNode root = FakeJson.object();
    root.put("type", "content_block_delta");
    root.put("index", 0);
    ObjectNode d = root.putObject("delta");
    d.put("type", type);
    d.put(field, value);
    return event("content_block_delta", root);
  }

  private static ByteString event(String name, ObjectNode json) {
    return ByteString.fromString("event: " + name + "\ndata: " + Json.text(json) + "\n\n");
  }
}
