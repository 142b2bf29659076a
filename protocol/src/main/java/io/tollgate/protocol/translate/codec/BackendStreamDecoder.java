package io.tollgate.protocol.translate.codec;

import io.tollgate.protocol.canonical.StreamEvent;
import io.tollgate.protocol.sse.SseEvent;
import java.util.List;

/** Turns one provider's SSE events into canonical stream events. One instance per stream. */
public interface BackendStreamDecoder {

  /** Events for one SSE event (often one, sometimes none or several). Unparseable data yields a Failure. */
  List<StreamEvent> decode(SseEvent event);
}
