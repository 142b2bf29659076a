package io.tollgate.protocol.canonical;

import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.usage.Usage;

/** What a backend stream decoder emits and a client stream encoder consumes. */
public sealed interface StreamEvent {

  /** The provider started the message; {@code usage} may carry input tokens (Anthropic) or be null. */
  record Start(String id, Usage usage) implements StreamEvent {}

  record TextDelta(String text) implements StreamEvent {}

  record ThinkingDelta(String text) implements StreamEvent {}

  record SignatureDelta(String signature) implements StreamEvent {}

  /** A new tool call; {@code index} counts tool calls of this response from 0. */
  record ToolCallStart(int index, String id, String name) implements StreamEvent {}

  /** A fragment of the JSON arguments of tool call {@code index}. */
  record ToolCallDelta(int index, String argumentsFragment) implements StreamEvent {}

  record Finish(StopReason reason) implements StreamEvent {}

  /**
   * Output of a completion other than the first (OpenAI {@code n} above 1): billed and counted
   * against the output cap, not relayed (clients receive the first completion).
   */
  record OtherChoiceOutput(String text) implements StreamEvent {}

  /** Provider-reported usage; later events replace earlier ones field by field where non-zero. */
  record UsageReport(Usage usage) implements StreamEvent {}

  /** The provider reported an error inside the stream (e.g. Anthropic {@code event: error}). */
  record Failure(ErrorKind kind, String message) implements StreamEvent {}

  /** The provider's own end marker ({@code [DONE]}, {@code message_stop}, Gemini's final chunk). */
  record End() implements StreamEvent {}
}
