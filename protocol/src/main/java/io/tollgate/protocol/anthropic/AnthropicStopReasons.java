package io.tollgate.protocol.anthropic;

import io.tollgate.protocol.canonical.StopReason;

/** Anthropic {@code stop_reason} values to and from the canonical {@link StopReason}. */
final class AnthropicStopReasons {
  private AnthropicStopReasons() {}

  /**
   * The wire value for a client. A forced tool call comes back from OpenAI as a plain stop; an
   * Anthropic client expects {@code tool_use} whenever the answer holds a tool call.
   */
  static String toWire(StopReason reason, boolean answerHasToolCall) {
    if (reason == null || reason == StopReason.END_TURN) {
      return answerHasToolCall ? "tool_use" : "end_turn";
    }
    return switch (reason) {
      case MAX_TOKENS -> "max_tokens";
      case TOOL_USE -> "tool_use";
      case STOP_SEQUENCE -> "stop_sequence";
      case CONTENT_FILTER -> "refusal";
      case END_TURN -> "end_turn";
    };
  }

  /** The canonical reason of a provider's {@code stop_reason}; unknown values count as a normal end. */
  static StopReason fromWire(String value) {
    if (value == null) {
      return StopReason.END_TURN;
    }
    return switch (value) {
      case "max_tokens", "model_context_window_exceeded" -> StopReason.MAX_TOKENS;
      case "tool_use" -> StopReason.TOOL_USE;
      case "stop_sequence" -> StopReason.STOP_SEQUENCE;
      case "refusal" -> StopReason.CONTENT_FILTER;
      default -> StopReason.END_TURN;
    };
  }
}
