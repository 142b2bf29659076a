package io.tollgate.protocol.openai;

import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.StopReason;
import io.tollgate.protocol.canonical.ToolChoice;

/** Maps between OpenAI {@code finish_reason} strings and canonical stop reasons. */
public final class OpenAiFinishReasons {
  private OpenAiFinishReasons() {}

  /**
   * The finish reason a client expects. OpenAI answers {@code "stop"}, not {@code "tool_calls"},
   * when the request forced one named function, whatever the backend said.
   */
  public static String toOpenAi(StopReason reason, ChatRequest request) {
    if (reason == null) {
      return "stop";
    }
    return switch (reason) {
      case END_TURN, STOP_SEQUENCE -> "stop";
      case MAX_TOKENS -> "length";
      case TOOL_USE -> request != null && request.toolChoice() instanceof ToolChoice.Named ? "stop" : "tool_calls";
      case CONTENT_FILTER -> "content_filter";
    };
  }

  public static StopReason fromOpenAi(String finishReason) {
    if (finishReason == null) {
      return StopReason.END_TURN;
    }
    return switch (finishReason) {
      case "length" -> StopReason.MAX_TOKENS;
      case "tool_calls", "function_call" -> StopReason.TOOL_USE;
      case "content_filter" -> StopReason.CONTENT_FILTER;
      default -> StopReason.END_TURN;
    };
  }
}
