package io.tollgate.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.canonical.StreamEvent;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.translate.codec.BackendStreamDecoder;
import io.tollgate.protocol.translate.codec.MintedIds;
import io.tollgate.protocol.usage.Usage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decodes a Chat Completions chunk stream. Tool call fragments carry their own {@code index};
 * the first fragment of a call (the one with {@code id}/{@code name}) starts it and every
 * {@code arguments} piece continues it. Tolerates compatible providers that send a whole call
 * in one fragment or omit {@code index}.
 */
final class OpenAiStreamDecoder implements BackendStreamDecoder {
  private boolean started;
  private final Set<Integer> startedCalls = new HashSet<>();
  private int nextCallIndex;

  @Override
  public List<StreamEvent> decode(SseEvent event) {
    String data = event.data() == null ? "" : event.data().trim();
    if (data.isEmpty()) {
      return List.of();
    }
    if (data.equals("[DONE]")) {
      return List.of(new StreamEvent.End());
    }
    JsonNode chunk = Json.readObject(data);
    if (chunk == null) {
      return List.of(malformed());
    }
    if (chunk.has("error") && chunk.get("error").isObject()) {
      return List.of(OpenAiBackendCodec.inBandFailure(chunk.get("error")));
    }
    List<StreamEvent> out = new ArrayList<>(3);
    if (!started) {
      started = true;
      out.add(new StreamEvent.Start(chunk.path("id").isTextual() ? chunk.get("id").asText() : null, null));
    }
    JsonNode choices = chunk.path("choices");
    if (choices.isArray() && !choices.isEmpty() && choices.get(0).path("index").asInt(0) != 0) {
      otherChoice(choices.get(0).path("delta"), out);
    } else if (choices.isArray() && !choices.isEmpty()) {
      JsonNode choice = choices.get(0);
      JsonNode delta = choice.path("delta");
      JsonNode reasoning = delta.path("reasoning_content");
      if (reasoning.isTextual() && !reasoning.asText().isEmpty()) {
        out.add(new StreamEvent.ThinkingDelta(reasoning.asText()));
      }
      JsonNode content = delta.path("content");
      if (content.isTextual() && !content.asText().isEmpty()) {
        out.add(new StreamEvent.TextDelta(content.asText()));
      }
      JsonNode calls = delta.path("tool_calls");
      if (calls.isArray()) {
        for (JsonNode call : calls) {
          toolCall(call, out);
        }
      }
      JsonNode finish = choice.path("finish_reason");
      if (finish.isTextual()) {
        out.add(new StreamEvent.Finish(OpenAiFinishReasons.fromOpenAi(finish.asText())));
      }
    }
    Usage usage = OpenAiUsage.parse(chunk.get("usage"));
    if (usage != null) {
      out.add(new StreamEvent.UsageReport(usage));
    }
    return out;
  }

  /** A later completion's delta: its text and tool arguments count, nothing of it is relayed. */
  private static void otherChoice(JsonNode delta, List<StreamEvent> out) {
    StringBuilder text = new StringBuilder();
    text.append(delta.path("reasoning_content").asText("")).append(delta.path("content").asText(""));
    for (JsonNode call : delta.path("tool_calls")) {
      text.append(call.path("function").path("name").asText("")).append(call.path("function").path("arguments").asText(""));
    }
    if (text.length() > 0) {
      out.add(new StreamEvent.OtherChoiceOutput(text.toString()));
    }
  }

  private void toolCall(JsonNode call, List<StreamEvent> out) {
    JsonNode function = call.path("function");
    int index = call.path("index").isInt() ? call.get("index").asInt() : -1;
    boolean opens = call.path("id").isTextual() || function.path("name").isTextual();
    if (index < 0) {
      index = opens ? nextCallIndex : Math.max(0, nextCallIndex - 1);
    }
    if (opens && startedCalls.add(index)) {
      String id = call.path("id").isTextual() ? call.get("id").asText() : "call_" + MintedIds.randomSuffix(24);
      out.add(new StreamEvent.ToolCallStart(index, id, function.path("name").asText("")));
      nextCallIndex = Math.max(nextCallIndex, index + 1);
    }
    JsonNode arguments = function.path("arguments");
    if (arguments.isTextual() && !arguments.asText().isEmpty()) {
      out.add(new StreamEvent.ToolCallDelta(index, arguments.asText()));
    }
  }

  private static StreamEvent malformed() {
    return new StreamEvent.Failure(ErrorKind.UPSTREAM_ERROR, "malformed chunk from the provider");
  }
}
