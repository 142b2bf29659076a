package io.tollgate.protocol.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.StopReason;
import io.tollgate.protocol.canonical.StreamEvent;
import io.tollgate.protocol.translate.codec.ClientStreamEncoder;
import io.tollgate.protocol.usage.TokenCounter;
import io.tollgate.protocol.usage.Usage;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders canonical stream events as an Anthropic Messages stream: {@code message_start}, then
 * per content block {@code content_block_start} → deltas → {@code content_block_stop}, then
 * {@code message_delta} and {@code message_stop}. One instance per stream.
 */
final class AnthropicStreamEncoder implements ClientStreamEncoder {
  private enum Block { NONE, TEXT, THINKING, TOOL }

  private final ChatRequest request;
  private boolean started;
  private Block open = Block.NONE;
  private int openTool = -1;
  private int nextIndex;
  private StopReason stopReason;
  private boolean sawToolCall;
  private final Map<Integer, String[]> tools = new HashMap<>();

  AnthropicStreamEncoder(ChatRequest request) {
    this.request = request;
  }

  @Override
  public String encode(StreamEvent event) {
    StringBuilder out = new StringBuilder();
    if (event instanceof StreamEvent.Start s) {
      start(s.id(), s.usage(), out);
    } else if (event instanceof StreamEvent.TextDelta t) {
      if (!t.text().isEmpty()) {
        open(Block.TEXT, -1, out);
        delta(out, "text_delta", "text", t.text());
      }
    } else if (event instanceof StreamEvent.ThinkingDelta t) {
      if (!t.text().isEmpty()) {
        open(Block.THINKING, -1, out);
        delta(out, "thinking_delta", "thinking", t.text());
      }
    } else if (event instanceof StreamEvent.SignatureDelta s) {
      open(Block.THINKING, -1, out);
      delta(out, "signature_delta", "signature", s.signature());
    } else if (event instanceof StreamEvent.ToolCallStart c) {
      tools.put(c.index(), new String[] {AnthropicIds.toolUseId(c.id()), c.name()});
      sawToolCall = true;
      closeBlock(out);
      open(Block.TOOL, c.index(), out);
    } else if (event instanceof StreamEvent.ToolCallDelta d) {
      if (!d.argumentsFragment().isEmpty()) {
        open(Block.TOOL, d.index(), out);
        delta(out, "input_json_delta", "partial_json", d.argumentsFragment());
      }
    } else if (event instanceof StreamEvent.Finish f) {
      stopReason = f.reason();
    }
    return out.toString();
  }

  @Override
  public String finish(Usage usage) {
    StringBuilder out = new StringBuilder();
    start(null, usage, out);
    closeBlock(out);
    ObjectNode delta = AnthropicWire.NODES.objectNode();
    delta.put("stop_reason", AnthropicStopReasons.toWire(stopReason, sawToolCall));
    delta.putNull("stop_sequence");
    ObjectNode md = AnthropicWire.NODES.objectNode();
    md.put("type", "message_delta");
    md.set("delta", delta);
    md.set("usage", AnthropicWire.usage(usage));
    frame(out, "message_delta", md);
    ObjectNode stop = AnthropicWire.NODES.objectNode();
    stop.put("type", "message_stop");
    frame(out, "message_stop", stop);
    return out.toString();
  }

  @Override
  public String fail(ErrorKind kind, String message) {
    ObjectNode error = AnthropicWire.NODES.objectNode();
    error.put("type", kind.typeFor(ClientApi.ANTHROPIC));
    error.put("message", message);
    ObjectNode root = AnthropicWire.NODES.objectNode();
    root.put("type", "error");
    root.set("error", error);
    StringBuilder out = new StringBuilder();
    frame(out, "error", root);
    return out.toString();
  }

  /**
   * Sends {@code message_start} once. Clients read its {@code input_tokens}: when the backend
   * reports no prompt usage at the start (OpenAI, Gemini), the prompt is counted here.
   */
  private void start(String id, Usage usage, StringBuilder out) {
    if (started) {
      return;
    }
    started = true;
    Usage u = usage;
    if (u == null || u.totalInputTokens() == 0) {
      u = new Usage(TokenCounter.countPrompt(request), 0, 0, u == null ? 0 : u.outputTokens(), true);
    }
    ObjectNode message = AnthropicWire.NODES.objectNode();
    message.put("id", AnthropicIds.messageId(id));
    message.put("type", "message");
    message.put("role", "assistant");
    message.set("content", AnthropicWire.NODES.arrayNode());
    message.put("model", request.model());
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    message.set("usage", AnthropicWire.usage(u));
    ObjectNode root = AnthropicWire.NODES.objectNode();
    root.put("type", "message_start");
    root.set("message", message);
    frame(out, "message_start", root);
  }

  /** Makes the block of this kind (and tool index) the open one, closing another kind first. */
  private void open(Block kind, int toolIndex, StringBuilder out) {
    start(null, null, out);
    if (open == kind && (kind != Block.TOOL || openTool == toolIndex)) {
      return;
    }
    closeBlock(out);
    ObjectNode block = AnthropicWire.NODES.objectNode();
    switch (kind) {
      case TEXT -> {
        block.put("type", "text");
        block.put("text", "");
      }
      case THINKING -> {
        block.put("type", "thinking");
        block.put("thinking", "");
      }
      default -> {
        // a fragment for a call whose start was never seen still gets a well-formed block
        String[] tool = tools.computeIfAbsent(toolIndex, i -> new String[] {AnthropicIds.toolUseId(null), ""});
        sawToolCall = true;
        block.put("type", "tool_use");
        block.put("id", tool[0]);
        block.put("name", tool[1]);
        block.set("input", AnthropicWire.NODES.objectNode());
      }
    }
    ObjectNode root = AnthropicWire.NODES.objectNode();
    root.put("type", "content_block_start");
    root.put("index", nextIndex);
    root.set("content_block", block);
    frame(out, "content_block_start", root);
    open = kind;
    openTool = toolIndex;
  }

  private void closeBlock(StringBuilder out) {
    if (open == Block.NONE) {
      return;
    }
    ObjectNode root = AnthropicWire.NODES.objectNode();
    root.put("type", "content_block_stop");
    root.put("index", nextIndex);
    frame(out, "content_block_stop", root);
    nextIndex++;
    open = Block.NONE;
    openTool = -1;
  }

  private void delta(StringBuilder out, String type, String field, String value) {
    ObjectNode delta = AnthropicWire.NODES.objectNode();
    delta.put("type", type);
    delta.put(field, value);
    ObjectNode root = AnthropicWire.NODES.objectNode();
    root.put("type", "content_block_delta");
    root.put("index", nextIndex);
    root.set("delta", delta);
    frame(out, "content_block_delta", root);
  }

  private static void frame(StringBuilder out, String event, ObjectNode data) {
    out.append("event: ").append(event).append('\n').append("data: ").append(Json.text(data)).append("\n\n");
  }
}
