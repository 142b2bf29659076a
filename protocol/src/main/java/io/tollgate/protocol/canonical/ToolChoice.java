package io.tollgate.protocol.canonical;

/** How the model may use tools. */
public sealed interface ToolChoice {
  /** The model decides (default). */
  record Auto() implements ToolChoice {}

  /** No tool calls. */
  record None() implements ToolChoice {}

  /** Some tool must be called (OpenAI {@code required}, Anthropic {@code any}). */
  record Any() implements ToolChoice {}

  /** This tool must be called. */
  record Named(String name) implements ToolChoice {}
}
