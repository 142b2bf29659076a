package io.tollgate.protocol.translate;

import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.canonical.ChatResponse;
import io.tollgate.protocol.canonical.Part;
import io.tollgate.protocol.canonical.StopReason;
import io.tollgate.protocol.canonical.StreamEvent;
import io.tollgate.protocol.translate.codec.ClientStreamEncoder;
import io.tollgate.protocol.usage.Usage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles a provider stream into one whole answer, for a client that asked for none: it takes the
 * place of the client's stream encoder, so the stream is counted and stopped at the output cap
 * exactly as a relayed stream is, and writes no frames. Parts keep the order they began in.
 */
final class AnswerCollector implements ClientStreamEncoder {
  private final List<Object> parts = new ArrayList<>();
  private final Map<Integer, ToolCallBuilder> toolCalls = new HashMap<>();
  private String id;
  private StopReason stopReason;

  private static final class TextBuilder {
    final StringBuilder text = new StringBuilder();
  }

  private static final class ThinkingBuilder {
    final StringBuilder text = new StringBuilder();
    String signature;
  }

  private static final class ToolCallBuilder {
    final String id;
    final String name;
    final StringBuilder arguments = new StringBuilder();

    ToolCallBuilder(String id, String name) {
      this.id = id;
      this.name = name;
    }
  }

  @Override
  public String encode(StreamEvent event) {
    if (event instanceof StreamEvent.Start s) {
      id = s.id();
    } else if (event instanceof StreamEvent.TextDelta t) {
      last(TextBuilder.class, TextBuilder::new).text.append(t.text());
    } else if (event instanceof StreamEvent.ThinkingDelta t) {
      last(ThinkingBuilder.class, ThinkingBuilder::new).text.append(t.text());
    } else if (event instanceof StreamEvent.SignatureDelta s) {
      last(ThinkingBuilder.class, ThinkingBuilder::new).signature = s.signature();
    } else if (event instanceof StreamEvent.ToolCallStart c) {
      ToolCallBuilder call = new ToolCallBuilder(c.id(), c.name());
      toolCalls.put(c.index(), call);
      parts.add(call);
    } else if (event instanceof StreamEvent.ToolCallDelta d) {
      ToolCallBuilder call = toolCalls.get(d.index());
      if (call != null) {
        call.arguments.append(d.argumentsFragment());
      }
    } else if (event instanceof StreamEvent.Finish f) {
      stopReason = f.reason();
    }
    return "";
  }

  @Override
  public String finish(Usage usage) {
    return "";
  }

  @Override
  public String fail(ErrorKind kind, String message) {
    return "";
  }

  /** The answer assembled so far, with {@code usage}. */
  ChatResponse response(Usage usage) {
    List<Part> content = new ArrayList<>(parts.size());
    for (Object p : parts) {
      if (p instanceof TextBuilder t) {
        content.add(new Part.Text(t.text.toString()));
      } else if (p instanceof ThinkingBuilder t) {
        content.add(new Part.Thinking(t.text.toString(), t.signature));
      } else if (p instanceof ToolCallBuilder c) {
        content.add(new Part.ToolCall(c.id, c.name, c.arguments.length() == 0 ? "{}" : c.arguments.toString()));
      }
    }
    return new ChatResponse(id, content, stopReason == null ? StopReason.END_TURN : stopReason, usage);
  }

  /** The last part if it is a {@code type} (text and thinking deltas continue it), else a new one. */
  private <T> T last(Class<T> type, java.util.function.Supplier<T> create) {
    if (!parts.isEmpty() && type.isInstance(parts.get(parts.size() - 1))) {
      return type.cast(parts.get(parts.size() - 1));
    }
    T part = create.get();
    parts.add(part);
    return part;
  }
}
