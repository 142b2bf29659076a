package io.tollgate.protocol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.usage.Usage;

/**
 * Translates one chat call between a client API and a backend schema. Created per request; holds
 * the stream state, so it is not thread-safe and is driven by one stream stage at a time.
 */
public interface ChatTranslator {

  /**
   * Validates the client body and builds the provider request. Always asks a streaming upstream
   * for usage, whether or not the client did.
   *
   * @throws io.tollgate.protocol.GatewayException INVALID_REQUEST naming the field at fault
   */
  UpstreamRequest toUpstream(JsonNode clientBody, String upstreamModel, ProviderEndpoint endpoint);

  /** The client's request in canonical form (for admission: prompt size, output allowance); valid after {@link #toUpstream}. */
  io.tollgate.protocol.canonical.ChatRequest request();

  /** Whether the client asked for a stream; valid after {@link #toUpstream}. */
  boolean clientStreams();

  /** A whole provider answer (any non-2xx answer too, streaming or not) rendered for the client. */
  ClientResponse fromUpstream(int status, byte[] body);

  /** One provider stream event; returns the SSE text to send to the client, possibly empty. */
  String onStreamEvent(SseEvent event);

  /**
   * Whether the answer itself has begun: text, thinking or a tool call arrived, or the stream ended
   * cleanly. The frames before it (the message start, a role chunk) say nothing yet, so a gateway
   * may hold them back and still fail over invisibly when the stream breaks before the answer.
   */
  boolean answerStarted();

  /**
   * The provider closed the stream. Returns the closing frames; if the provider never sent its
   * end marker the stream was cut, and this returns an in-band error instead of a clean end.
   */
  String onStreamEnd();

  /** The provider stream failed (reset, timeout, unreadable); returns an in-band error, never a clean end. */
  String onStreamFailure(ErrorKind kind, String message);

  /** Usage so far: provider-reported where it arrived, else counted from what was streamed. */
  Usage usage();

  /** True once the provider's own end marker arrived and the closing frames were produced. */
  boolean endedCleanly();

  /** Null while the stream is healthy or ended cleanly; the failure kind otherwise. */
  ErrorKind streamError();

  /** Message of {@link #streamError()}, or null. */
  String streamErrorMessage();
}
