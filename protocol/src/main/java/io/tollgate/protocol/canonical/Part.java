package io.tollgate.protocol.canonical;

/** One piece of message content, in the gateway's provider-neutral form. */
public sealed interface Part {

  record Text(String text) implements Part {}

  /**
   * An image given inline ({@code data} base64 with {@code mediaType}) or by {@code url}; exactly
   * one of data and url is set.
   */
  record Image(String mediaType, String data, String url) implements Part {}

  /** The model calling a tool; {@code argumentsJson} is the JSON text of the arguments object. */
  record ToolCall(String id, String name, String argumentsJson) implements Part {}

  /** The caller's answer to a tool call. */
  record ToolResult(String toolCallId, String content, boolean isError) implements Part {}

  /** Extended thinking; {@code signature} must travel back unchanged to the same provider. */
  record Thinking(String text, String signature) implements Part {}
}
