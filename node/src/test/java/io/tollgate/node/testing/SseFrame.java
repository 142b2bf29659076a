package io.tollgate.node.testing;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One Server-Sent Event as a client reads it.
 *
 * @param event the {@code event:} name, or null when the frame had none (OpenAI streams)
 * @param data the {@code data:} lines joined by newlines
 */
public record SseFrame(String event, String data) {

  /** The data as a JSON object, or null when it is not one (e.g. {@code [DONE]}). */
  public JsonNode json() {
    String d = data.trim();
    if (!d.startsWith("{")) {
      return null;
    }
    return Calls.json(d);
  }
}
