package io.tollgate.protocol.canonical;

/** Who speaks a message. Tool results travel as {@link Part.ToolResult} parts of a USER message. */
public enum Role {
  USER,
  ASSISTANT
}
