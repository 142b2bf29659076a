package io.tollgate.protocol.canonical;

/** Why generation stopped, provider-neutral. */
public enum StopReason {
  END_TURN,
  MAX_TOKENS,
  TOOL_USE,
  STOP_SEQUENCE,
  CONTENT_FILTER
}
