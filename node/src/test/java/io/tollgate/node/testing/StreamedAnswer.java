package io.tollgate.node.testing;

import java.util.List;

/** Everything a streaming client received from one call: status, content type, request id, frames. */
public record StreamedAnswer(
    StreamingClient client, int status, String contentType, String requestId, List<SseFrame> frames) {

  /** The answer text, joined from every text delta. */
  public String text() {
    StringBuilder out = new StringBuilder();
    frames.forEach(f -> out.append(client.text(f)));
    return out.toString();
  }

  /** Whether the API's clean end marker arrived. */
  public boolean endedCleanly() {
    return frames.stream().anyMatch(client::isCleanEnd);
  }

  /** The in-band error frames. */
  public List<SseFrame> errors() {
    return frames.stream().filter(client::isError).toList();
  }

  /** The last frame received, or null when none came. */
  public SseFrame last() {
    return frames.isEmpty() ? null : frames.get(frames.size() - 1);
  }
}
