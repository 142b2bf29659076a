package io.tollgate.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.canonical.StopReason;
import io.tollgate.protocol.canonical.StreamEvent;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.translate.codec.BackendStreamDecoder;
import io.tollgate.protocol.usage.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes {@code streamGenerateContent?alt=sse}: every {@code data:} is a whole
 * GenerateContentResponse. Gemini sends each function call whole, so a call becomes a start and
 * one arguments delta. Gemini has no end marker: the chunk carrying {@code finishReason} ends it.
 */
final class GeminiStreamDecoder implements BackendStreamDecoder {
  private boolean started;
  private boolean ended;
  private int toolCalls;

  @Override
  public List<StreamEvent> decode(SseEvent event) {
    String data = event.data() == null ? "" : event.data().trim();
    if (data.isEmpty() || ended) {
      return List.of();
    }
    JsonNode chunk = Json.readObject(data);
    if (chunk == null) {
      return List.of(malformed());
    }
    if (chunk.path("error").isObject()) {
      return List.of(GeminiBackendCodec.inBandFailure(chunk.get("error")));
    }
    List<StreamEvent> out = new ArrayList<>(4);
    if (!started) {
      started = true;
      out.add(new StreamEvent.Start(chunk.path("responseId").isTextual() ? chunk.get("responseId").asText() : null, null));
    }
    JsonNode candidate = chunk.path("candidates").path(0);
    for (JsonNode part : candidate.path("content").path("parts")) {
      if (part.path("functionCall").isObject()) {
        JsonNode call = part.get("functionCall");
        int index = toolCalls++;
        out.add(new StreamEvent.ToolCallStart(index, GeminiResponses.mintToolCallId(), call.path("name").asText()));
        out.add(new StreamEvent.ToolCallDelta(index, GeminiResponses.argumentsJson(call)));
      } else if (part.path("text").isTextual() && !part.get("text").asText().isEmpty()) {
        String text = part.get("text").asText();
        out.add(part.path("thought").asBoolean(false) ? new StreamEvent.ThinkingDelta(text) : new StreamEvent.TextDelta(text));
      }
    }
    Usage usage = GeminiResponses.usage(chunk.get("usageMetadata"));
    if (usage != null) {
      out.add(new StreamEvent.UsageReport(usage));
    }
    if (candidate.path("finishReason").isTextual()) {
      end(out, GeminiResponses.stopReason(candidate.get("finishReason").asText(), toolCalls > 0));
    } else if (GeminiResponses.promptBlocked(chunk)) {
      end(out, StopReason.CONTENT_FILTER);
    }
    return out;
  }

  private void end(List<StreamEvent> out, StopReason reason) {
    ended = true;
    out.add(new StreamEvent.Finish(reason));
    out.add(new StreamEvent.End());
  }

  private static StreamEvent malformed() {
    return new StreamEvent.Failure(ErrorKind.UPSTREAM_ERROR, "malformed chunk from the provider");
  }
}
