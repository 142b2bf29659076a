package io.tollgate.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.canonical.StopReason;
import io.tollgate.protocol.translate.codec.MintedIds;
import io.tollgate.protocol.usage.Usage;

/** Reading pieces of a Gemini {@code GenerateContentResponse}, shared by whole answers and stream chunks. */
final class GeminiResponses {
  private GeminiResponses() {}

  /**
   * Gemini answers {@code STOP} even when the answer is a function call; clients expect a
   * tool-use stop then.
   */
  static StopReason stopReason(String finishReason, boolean calledTools) {
    if (finishReason == null) {
      return calledTools ? StopReason.TOOL_USE : StopReason.END_TURN;
    }
    return switch (finishReason) {
      case "MAX_TOKENS" -> StopReason.MAX_TOKENS;
      case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE" ->
          StopReason.CONTENT_FILTER;
      default -> calledTools ? StopReason.TOOL_USE : StopReason.END_TURN;
    };
  }

  /** Gemini's {@code promptTokenCount} includes the cached tokens; thoughts are billed as output. */
  static Usage usage(JsonNode metadata) {
    if (metadata == null || !metadata.isObject()) {
      return null;
    }
    long prompt = metadata.path("promptTokenCount").asLong(0);
    long cached = metadata.path("cachedContentTokenCount").asLong(0);
    long output = metadata.path("candidatesTokenCount").asLong(0) + metadata.path("thoughtsTokenCount").asLong(0);
    return new Usage(Math.max(0, prompt - cached), cached, 0, output, false);
  }

  /** Gemini function calls carry no id (or an id clients never saw): mint an OpenAI-style one. */
  static String mintToolCallId() {
    return "call_" + MintedIds.randomSuffix(24);
  }

  static String argumentsJson(JsonNode functionCall) {
    JsonNode args = functionCall.path("args");
    return args.isObject() ? args.toString() : "{}";
  }

  /** The prompt was blocked before any candidate was generated. */
  static boolean promptBlocked(JsonNode response) {
    return response.path("promptFeedback").path("blockReason").isTextual()
        && !response.path("candidates").isArray();
  }
}
