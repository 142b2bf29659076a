package io.tollgate.protocol.translate.codec;

import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.canonical.StreamEvent;
import io.tollgate.protocol.usage.Usage;

/**
 * Renders canonical stream events as one client API's SSE frames (complete frames, each ending
 * in a blank line). One instance per stream.
 */
public interface ClientStreamEncoder {

  /** Frames for one event; may be empty. Usage and End events are handled by {@link #finish}. */
  String encode(StreamEvent event);

  /** The clean closing frames (OpenAI: usage chunk if asked, then {@code [DONE]}; Anthropic: message_delta, message_stop). */
  String finish(Usage usage);

  /** An in-band error that no client can mistake for a clean end. */
  String fail(ErrorKind kind, String message);
}
