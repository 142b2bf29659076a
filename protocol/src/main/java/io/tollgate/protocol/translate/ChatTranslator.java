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

  /** The output cap of {@link #toUpstream(JsonNode, String, ProviderEndpoint)}; gateways pass their configured one. */
  int DEFAULT_MAX_OUTPUT_TOKENS = 4096;

  /**
   * Validates the client body and builds the provider request. Always asks a streaming upstream
   * for usage, whether or not the client did, and always sends an output cap: the client's own, or
   * {@code defaultMaxOutput} when it gave none (a provider left without one uses its own maximum).
   *
   * @throws io.tollgate.protocol.GatewayException INVALID_REQUEST naming the field at fault
   */
  UpstreamRequest toUpstream(JsonNode clientBody, String upstreamModel, ProviderEndpoint endpoint, int defaultMaxOutput);

  /**
   * {@link #toUpstream(JsonNode, String, ProviderEndpoint, int)}, but when {@code wholeAsStream} and
   * the client asked for a whole answer, the provider is asked for a stream: fed through
   * {@link #onStreamEvent} it is counted and stopped at the output cap like any stream, and
   * {@link #wholeAnswer()} then gives the client its whole answer.
   */
  UpstreamRequest toUpstream(
      JsonNode clientBody, String upstreamModel, ProviderEndpoint endpoint, int defaultMaxOutput, boolean wholeAsStream);

  /** Whether the provider request asks for a stream; valid after {@link #toUpstream}. */
  boolean upstreamStreams();

  /**
   * The whole answer assembled from a provider stream asked for a client that wants none: 200 with
   * the answer (cut at the output cap with a {@code length} / {@code max_tokens} finish), or the
   * stream's failure in the client's error shape, billed what was streamed.
   */
  ClientResponse wholeAnswer();

  /** {@link #toUpstream(JsonNode, String, ProviderEndpoint, int)} with {@value #DEFAULT_MAX_OUTPUT_TOKENS}. */
  default UpstreamRequest toUpstream(JsonNode clientBody, String upstreamModel, ProviderEndpoint endpoint) {
    return toUpstream(clientBody, upstreamModel, endpoint, DEFAULT_MAX_OUTPUT_TOKENS);
  }

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

  /**
   * True once the stream ended cleanly for the client: the provider's own end marker arrived, or the
   * output cap was reached (see {@link #outputCapReached()}), and the closing frames were produced.
   */
  boolean endedCleanly();

  /**
   * True once the stream was stopped because its output reached the request's cap (every
   * completion's {@code max_tokens}): the client got the closing frames with a {@code length} /
   * {@code max_tokens} finish, and the provider stream should be cancelled.
   */
  boolean outputCapReached();

  /** Null while the stream is healthy or ended cleanly; the failure kind otherwise. */
  ErrorKind streamError();

  /** Message of {@link #streamError()}, or null. */
  String streamErrorMessage();

  /**
   * Keep a {@link io.tollgate.protocol.cache.AnswerTranscript} of the answer relayed to the client
   * (for the response cache); call before the answer arrives.
   */
  default void keepTranscript() {}

  /** The answer kept since {@link #keepTranscript()}: complete once a whole answer or a clean stream ended; null when none was kept. */
  default io.tollgate.protocol.cache.AnswerTranscript transcript() {
    return null;
  }
}
