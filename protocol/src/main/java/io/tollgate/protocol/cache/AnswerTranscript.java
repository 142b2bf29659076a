package io.tollgate.protocol.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.canonical.ChatResponse;
import io.tollgate.protocol.canonical.Part;
import io.tollgate.protocol.canonical.StopReason;
import io.tollgate.protocol.canonical.StreamEvent;
import io.tollgate.protocol.usage.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * A complete answer as the canonical events a client stream encoder consumes (text, thinking,
 * signature, tool call start and fragments, finish) plus its usage: what the response cache stores,
 * so a hit can be rendered as a whole answer or replayed chunk by chunk in the client's API.
 * Collected from a relayed stream event by event, or built from a whole answer. Not thread-safe.
 */
public final class AnswerTranscript {
  private final List<StreamEvent> events;
  private Usage usage;

  public AnswerTranscript() {
    this(new ArrayList<>(), Usage.ZERO);
  }

  private AnswerTranscript(List<StreamEvent> events, Usage usage) {
    this.events = events;
    this.usage = usage;
  }

  /** The transcript of a whole answer. */
  public static AnswerTranscript of(ChatResponse response) {
    AnswerTranscript t = new AnswerTranscript();
    int tool = 0;
    for (Part p : response.content()) {
      if (p instanceof Part.Text text) {
        t.add(new StreamEvent.TextDelta(text.text()));
      } else if (p instanceof Part.Thinking thinking) {
        t.add(new StreamEvent.ThinkingDelta(thinking.text() == null ? "" : thinking.text()));
        if (thinking.signature() != null) {
          t.add(new StreamEvent.SignatureDelta(thinking.signature()));
        }
      } else if (p instanceof Part.ToolCall call) {
        t.add(new StreamEvent.ToolCallStart(tool, call.id(), call.name()));
        t.add(new StreamEvent.ToolCallDelta(tool, call.argumentsJson()));
        tool++;
      }
    }
    if (response.stopReason() != null) {
      t.add(new StreamEvent.Finish(response.stopReason()));
    }
    t.usage(response.usage() == null ? Usage.ZERO : response.usage());
    return t;
  }

  /** Keeps one event the client was sent; events that are not part of the answer's content are ignored. */
  public void add(StreamEvent e) {
    if (e instanceof StreamEvent.TextDelta || e instanceof StreamEvent.ThinkingDelta
        || e instanceof StreamEvent.SignatureDelta || e instanceof StreamEvent.ToolCallStart
        || e instanceof StreamEvent.ToolCallDelta || e instanceof StreamEvent.Finish) {
      events.add(e);
    }
  }

  public void usage(Usage u) {
    this.usage = u == null ? Usage.ZERO : u;
  }

  public Usage usage() {
    return usage;
  }

  public List<StreamEvent> events() {
    return List.copyOf(events);
  }

  /** The last finish reason; null when the answer never said why it stopped. */
  public StopReason stopReason() {
    StopReason reason = null;
    for (StreamEvent e : events) {
      if (e instanceof StreamEvent.Finish f) {
        reason = f.reason();
      }
    }
    return reason;
  }

  public boolean hasToolCalls() {
    return events.stream().anyMatch(e -> e instanceof StreamEvent.ToolCallStart);
  }

  /** The answer as a whole response; {@code id} null lets the client encoder mint a fresh one. */
  public ChatResponse toResponse(String id) {
    List<Part> parts = new ArrayList<>();
    StringBuilder text = null;
    StringBuilder thinking = null;
    String signature = null;
    List<String[]> calls = new ArrayList<>();
    List<StringBuilder> arguments = new ArrayList<>();
    for (StreamEvent e : events) {
      if (e instanceof StreamEvent.TextDelta t) {
        if (thinking != null) {
          parts.add(new Part.Thinking(thinking.toString(), signature));
          thinking = null;
          signature = null;
        }
        text = text == null ? new StringBuilder() : text;
        text.append(t.text());
      } else if (e instanceof StreamEvent.ThinkingDelta t) {
        if (text != null) {
          parts.add(new Part.Text(text.toString()));
          text = null;
        }
        thinking = thinking == null ? new StringBuilder() : thinking;
        thinking.append(t.text());
      } else if (e instanceof StreamEvent.SignatureDelta s) {
        thinking = thinking == null ? new StringBuilder() : thinking;
        signature = signature == null ? s.signature() : signature + s.signature();
      } else if (e instanceof StreamEvent.ToolCallStart c) {
        calls.add(new String[] {c.id(), c.name(), Integer.toString(c.index())});
        arguments.add(new StringBuilder());
      } else if (e instanceof StreamEvent.ToolCallDelta d) {
        for (int i = calls.size() - 1; i >= 0; i--) {
          if (calls.get(i)[2].equals(Integer.toString(d.index()))) {
            arguments.get(i).append(d.argumentsFragment());
            break;
          }
        }
      }
    }
    if (thinking != null) {
      parts.add(new Part.Thinking(thinking.toString(), signature));
    }
    if (text != null) {
      parts.add(new Part.Text(text.toString()));
    }
    for (int i = 0; i < calls.size(); i++) {
      String args = arguments.get(i).length() == 0 ? "{}" : arguments.get(i).toString();
      parts.add(new Part.ToolCall(calls.get(i)[0], calls.get(i)[1], args));
    }
    StopReason reason = stopReason();
    return new ChatResponse(id, parts, reason == null ? StopReason.END_TURN : reason, usage);
  }

  // --- stored form -----------------------------------------------------------------------------

  /** The stored form: compact JSON. */
  public byte[] toJson() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("v", 1);
    ObjectNode u = root.putObject("usage");
    u.put("input", usage.inputTokens()).put("cache_read", usage.cacheReadTokens())
        .put("cache_write", usage.cacheWriteTokens()).put("output", usage.outputTokens());
    ArrayNode list = root.putArray("events");
    for (StreamEvent e : events) {
      ObjectNode o = list.addObject();
      if (e instanceof StreamEvent.TextDelta t) {
        o.put("t", "text").put("s", t.text());
      } else if (e instanceof StreamEvent.ThinkingDelta t) {
        o.put("t", "thinking").put("s", t.text());
      } else if (e instanceof StreamEvent.SignatureDelta s) {
        o.put("t", "signature").put("s", s.signature());
      } else if (e instanceof StreamEvent.ToolCallStart c) {
        o.put("t", "tool").put("i", c.index()).put("id", c.id()).put("name", c.name());
      } else if (e instanceof StreamEvent.ToolCallDelta d) {
        o.put("t", "args").put("i", d.index()).put("s", d.argumentsFragment());
      } else if (e instanceof StreamEvent.Finish f) {
        o.put("t", "finish").put("s", f.reason().name());
      }
    }
    return Json.bytes(root);
  }

  /** Reads the stored form. @throws IllegalArgumentException when it is not one (a corrupted entry) */
  public static AnswerTranscript fromJson(byte[] stored) {
    try {
      JsonNode root = Json.MAPPER.readTree(stored);
      if (root == null || root.path("v").asInt() != 1 || !root.path("events").isArray()) {
        throw new IllegalArgumentException("not a stored answer");
      }
      JsonNode u = root.path("usage");
      List<StreamEvent> events = new ArrayList<>();
      for (JsonNode o : root.get("events")) {
        events.add(switch (text(o, "t")) {
          case "text" -> new StreamEvent.TextDelta(text(o, "s"));
          case "thinking" -> new StreamEvent.ThinkingDelta(text(o, "s"));
          case "signature" -> new StreamEvent.SignatureDelta(text(o, "s"));
          case "tool" -> new StreamEvent.ToolCallStart(o.path("i").asInt(), text(o, "id"), text(o, "name"));
          case "args" -> new StreamEvent.ToolCallDelta(o.path("i").asInt(), text(o, "s"));
          case "finish" -> new StreamEvent.Finish(StopReason.valueOf(text(o, "s")));
          default -> throw new IllegalArgumentException("unknown event");
        });
      }
      return new AnswerTranscript(events, new Usage(u.path("input").asLong(), u.path("cache_read").asLong(),
          u.path("cache_write").asLong(), u.path("output").asLong(), false));
    } catch (java.io.IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a stored answer", e);
    }
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("missing " + field);
    }
    return v.asText();
  }
}
