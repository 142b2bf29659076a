package io.tollgate.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.canonical.StreamEvent;
import io.tollgate.protocol.provider.ProviderErrors;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.translate.codec.BackendStreamDecoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an Anthropic Messages event stream into canonical stream events. Tool calls are numbered
 * from 0 in the order their {@code tool_use} blocks start. One instance per stream.
 */
final class AnthropicStreamDecoder implements BackendStreamDecoder {
  static final String MALFORMED = "malformed event from the provider";

  /** Content block index → tool call index, for tool_use blocks. */
  private final Map<Integer, Integer> toolByBlock = new HashMap<>();
  private int tools;

  @Override
  public List<StreamEvent> decode(SseEvent event) {
    if (event.data() == null || event.data().isBlank()) {
      return List.of();
    }
    JsonNode data = Json.readObject(event.data());
    if (data == null) {
      return List.of(new StreamEvent.Failure(ErrorKind.UPSTREAM_ERROR, MALFORMED));
    }
    String type = data.path("type").asText(event.event() == null ? "" : event.event());
    return switch (type) {
      case "message_start" -> messageStart(data.path("message"));
      case "content_block_start" -> blockStart(data.path("index").asInt(), data.path("content_block"));
      case "content_block_delta" -> blockDelta(data.path("index").asInt(), data.path("delta"));
      case "message_delta" -> messageDelta(data);
      case "message_stop" -> List.of(new StreamEvent.End());
      case "error" -> List.of(ProviderErrors.inStream(AnthropicErrors.of(data.path("error"), 0)));
      default -> List.of(); // ping, content_block_stop, and event types added later
    };
  }

  private static List<StreamEvent> messageStart(JsonNode message) {
    JsonNode usage = message.get("usage");
    return List.of(new StreamEvent.Start(
        AnthropicWire.text(message, "id"),
        usage != null && usage.isObject() ? AnthropicWire.readUsage(usage) : null));
  }

  private List<StreamEvent> blockStart(int index, JsonNode block) {
    String kind = block.path("type").asText("");
    switch (kind) {
      case "text": {
        String text = block.path("text").asText("");
        return text.isEmpty() ? List.of() : List.of(new StreamEvent.TextDelta(text));
      }
      case "tool_use": {
        int tool = tools++;
        toolByBlock.put(index, tool);
        return List.of(new StreamEvent.ToolCallStart(tool, AnthropicWire.text(block, "id"), AnthropicWire.text(block, "name")));
      }
      case "thinking": {
        List<StreamEvent> out = new ArrayList<>(2);
        String text = block.path("thinking").asText("");
        if (!text.isEmpty()) {
          out.add(new StreamEvent.ThinkingDelta(text));
        }
        String signature = block.path("signature").asText("");
        if (!signature.isEmpty()) {
          out.add(new StreamEvent.SignatureDelta(signature));
        }
        return out;
      }
      default:
        return List.of();
    }
  }

  private List<StreamEvent> blockDelta(int index, JsonNode delta) {
    return switch (delta.path("type").asText("")) {
      case "text_delta" -> List.of(new StreamEvent.TextDelta(delta.path("text").asText("")));
      case "input_json_delta" -> {
        String fragment = delta.path("partial_json").asText("");
        Integer tool = toolByBlock.get(index);
        yield fragment.isEmpty() || tool == null ? List.of() : List.of(new StreamEvent.ToolCallDelta(tool, fragment));
      }
      case "thinking_delta" -> List.of(new StreamEvent.ThinkingDelta(delta.path("thinking").asText("")));
      case "signature_delta" -> List.of(new StreamEvent.SignatureDelta(delta.path("signature").asText("")));
      default -> List.of();
    };
  }

  /**
   * The final stop reason and usage. Anthropic's usage here is cumulative and may repeat the
   * input and cache fields: it is reported as is, and the translator replaces, never adds.
   */
  private static List<StreamEvent> messageDelta(JsonNode data) {
    List<StreamEvent> out = new ArrayList<>(2);
    JsonNode reason = data.path("delta").get("stop_reason");
    if (reason != null && reason.isTextual()) {
      out.add(new StreamEvent.Finish(AnthropicStopReasons.fromWire(reason.asText())));
    }
    JsonNode usage = data.get("usage");
    if (usage != null && usage.isObject()) {
      out.add(new StreamEvent.UsageReport(AnthropicWire.readUsage(usage)));
    }
    return out;
  }
}
