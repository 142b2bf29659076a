package io.tollgate.protocol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.cache.AnswerTranscript;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.ChatResponse;
import io.tollgate.protocol.canonical.StopReason;
import io.tollgate.protocol.canonical.StreamEvent;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.translate.codec.BackendCodec;
import io.tollgate.protocol.translate.codec.BackendStreamDecoder;
import io.tollgate.protocol.translate.codec.ClientCodec;
import io.tollgate.protocol.translate.codec.ClientStreamEncoder;
import io.tollgate.protocol.usage.TokenCounter;
import io.tollgate.protocol.usage.Usage;

/**
 * A translator that decodes the client's request into the canonical form, encodes it for the
 * backend, and carries answers back the same way. It owns the billing-relevant stream state:
 * provider-reported usage, the text streamed so far (to count it when usage never arrives), and
 * whether the stream ended cleanly.
 */
public class HubChatTranslator implements ChatTranslator {
  private final ClientCodec client;
  private final BackendCodec backend;
  private ChatRequest request;
  private BackendStreamDecoder decoder;
  private ClientStreamEncoder encoder;
  /** Set when a whole answer is read from a provider stream: it stands in for the client's encoder. */
  private AnswerCollector collector;
  private final StringBuilder streamedOutput = new StringBuilder();
  /** Output tokens streamed so far, counted per delta: cheap, and at least the count of the whole text. */
  private long streamedTokens;
  /** Output the provider reported while streaming (not at its start: Anthropic's message_start says 1). */
  private long reportedOutput;
  private Usage reported;
  private boolean finished;
  private boolean cleanEnd;
  private boolean capReached;
  private boolean finishSent;
  private boolean contentStarted;
  private ErrorKind error;
  private String errorMessage;
  private AnswerTranscript transcript;

  protected HubChatTranslator(ClientCodec client, BackendCodec backend) {
    this.client = client;
    this.backend = backend;
  }

  @Override
  public UpstreamRequest toUpstream(
      JsonNode clientBody, String upstreamModel, ProviderEndpoint endpoint, int defaultMaxOutput) {
    return toUpstream(clientBody, upstreamModel, endpoint, defaultMaxOutput, false);
  }

  @Override
  public UpstreamRequest toUpstream(
      JsonNode clientBody, String upstreamModel, ProviderEndpoint endpoint, int defaultMaxOutput, boolean wholeAsStream) {
    ChatRequest decoded = client.decodeRequest(clientBody);
    request = decoded.maxTokens() == null ? decoded.withMaxTokens(defaultMaxOutput) : decoded;
    if (wholeAsStream && !request.stream()) {
      collector = new AnswerCollector();
      return backend.encodeRequest(request.withStream(true), upstreamModel, endpoint);
    }
    return backend.encodeRequest(request, upstreamModel, endpoint);
  }

  @Override
  public boolean upstreamStreams() {
    return request.stream() || collector != null;
  }

  @Override
  public ClientResponse wholeAnswer() {
    if (collector == null) {
      throw new IllegalStateException("the provider was not asked for a stream");
    }
    if (error != null) {
      ClientResponse failed = ClientResponse.error(client.api(), new GatewayException(error, errorMessage));
      return new ClientResponse(failed.status(), failed.body(), usage(), failed.error(), failed.errorMessage());
    }
    ChatResponse response = collector.response(usage());
    return new ClientResponse(200, client.encodeResponse(request, response), response.usage(), null, null);
  }

  @Override
  public boolean clientStreams() {
    return request.stream();
  }

  @Override
  public ClientResponse fromUpstream(int status, byte[] body) {
    if (status < 200 || status >= 300) {
      return errorResponse(backend.decodeError(status, body));
    }
    ChatResponse response;
    try {
      response = backend.decodeResponse(body);
    } catch (GatewayException e) {
      return errorResponse(e);
    }
    if (transcript != null) {
      transcript = AnswerTranscript.of(response);
    }
    return new ClientResponse(200, client.encodeResponse(request, response), response.usage(), null, null);
  }

  private ClientResponse errorResponse(GatewayException e) {
    return ClientResponse.error(client.api(), e);
  }

  @Override
  public String onStreamEvent(SseEvent event) {
    if (finished) {
      return "";
    }
    if (decoder == null) {
      decoder = backend.newStreamDecoder();
      encoder = newEncoder();
    }
    StringBuilder out = new StringBuilder();
    for (StreamEvent e : decoder.decode(event)) {
      if (finished) {
        break;
      }
      if (e instanceof StreamEvent.UsageReport u) {
        merge(u.usage());
        reportedOutput = Math.max(reportedOutput, u.usage().outputTokens());
      } else if (e instanceof StreamEvent.End) {
        finished = true;
        contentStarted = true;
        cleanEnd = true;
        if (transcript != null) {
          transcript.usage(usage());
        }
        out.append(encoder.finish(usage()));
      } else if (e instanceof StreamEvent.Failure f) {
        out.append(fail(f.kind(), f.message()));
      } else if (isOutput(e) && outputAtCap()) {
        out.append(stopAtCap());
      } else {
        if (e instanceof StreamEvent.Start s && s.usage() != null) {
          merge(s.usage());
        } else if (e instanceof StreamEvent.TextDelta t) {
          streamedOutput.append(t.text());
          contentStarted = true;
        } else if (e instanceof StreamEvent.ThinkingDelta t) {
          streamedOutput.append(t.text());
          contentStarted = true;
        } else if (e instanceof StreamEvent.ToolCallStart c) {
          streamedOutput.append(c.name());
          contentStarted = true;
        } else if (e instanceof StreamEvent.ToolCallDelta d) {
          streamedOutput.append(d.argumentsFragment());
        } else if (e instanceof StreamEvent.OtherChoiceOutput o) {
          streamedOutput.append(o.text());
        } else if (e instanceof StreamEvent.Finish) {
          contentStarted = true;
          finishSent = true;
        }
        streamedTokens += outputTokens(e);
        if (transcript != null) {
          transcript.add(e);
        }
        out.append(encoder.encode(e));
      }
    }
    return out.toString();
  }

  private ClientStreamEncoder newEncoder() {
    return collector != null ? collector : client.newStreamEncoder(request);
  }

  private static boolean isOutput(StreamEvent e) {
    return e instanceof StreamEvent.TextDelta || e instanceof StreamEvent.ThinkingDelta
        || e instanceof StreamEvent.ToolCallStart || e instanceof StreamEvent.ToolCallDelta
        || e instanceof StreamEvent.OtherChoiceOutput;
  }

  private static long outputTokens(StreamEvent e) {
    if (e instanceof StreamEvent.TextDelta t) return TokenCounter.count(t.text());
    if (e instanceof StreamEvent.ThinkingDelta t) return TokenCounter.count(t.text());
    if (e instanceof StreamEvent.ToolCallStart c) return TokenCounter.count(c.name());
    if (e instanceof StreamEvent.ToolCallDelta d) return TokenCounter.count(d.argumentsFragment());
    if (e instanceof StreamEvent.OtherChoiceOutput o) return TokenCounter.count(o.text());
    return 0;
  }

  /**
   * Whether the output so far (counted here, or reported by the provider if that is more) has
   * reached the request's cap. Checked before each further piece of output, so a provider that
   * honours the cap ends its stream itself; one that does not is stopped at its next piece.
   */
  private boolean outputAtCap() {
    long cap = request.outputCap();
    return cap > 0 && Math.max(streamedTokens, reportedOutput) >= cap;
  }

  /** Ends the client's stream as the provider would at its output limit. */
  private String stopAtCap() {
    finished = true;
    cleanEnd = true;
    capReached = true;
    contentStarted = true;
    String finish = finishSent ? "" : encoder.encode(new StreamEvent.Finish(StopReason.MAX_TOKENS));
    return finish + encoder.finish(usage());
  }

  @Override
  public boolean answerStarted() {
    return contentStarted;
  }

  @Override
  public String onStreamEnd() {
    if (finished) {
      return "";
    }
    return failStarted(ErrorKind.UPSTREAM_ERROR, "the provider closed the stream before it was complete");
  }

  @Override
  public String onStreamFailure(ErrorKind kind, String message) {
    if (finished) {
      return "";
    }
    return failStarted(kind, message);
  }

  private String failStarted(ErrorKind kind, String message) {
    if (encoder == null) {
      decoder = backend.newStreamDecoder();
      encoder = newEncoder();
    }
    return fail(kind, message);
  }

  private String fail(ErrorKind kind, String message) {
    finished = true;
    error = kind;
    errorMessage = message;
    return encoder.fail(kind, message);
  }

  private void merge(Usage u) {
    if (reported == null) {
      reported = u;
      return;
    }
    reported =
        new Usage(
            u.inputTokens() > 0 ? u.inputTokens() : reported.inputTokens(),
            u.cacheReadTokens() > 0 ? u.cacheReadTokens() : reported.cacheReadTokens(),
            u.cacheWriteTokens() > 0 ? u.cacheWriteTokens() : reported.cacheWriteTokens(),
            u.outputTokens() > 0 ? u.outputTokens() : reported.outputTokens(),
            false);
  }

  @Override
  public Usage usage() {
    if (cleanEnd && !capReached && reported != null && reported.outputTokens() > 0) {
      return reported;
    }
    long counted = TokenCounter.count(streamedOutput);
    if (reported == null) {
      if (request == null) {
        return Usage.ZERO;
      }
      return new Usage(TokenCounter.countPrompt(request), 0, 0, counted, true);
    }
    long input = reported.totalInputTokens() > 0 ? reported.inputTokens() : TokenCounter.countPrompt(request);
    return new Usage(
        input, reported.cacheReadTokens(), reported.cacheWriteTokens(),
        Math.max(reported.outputTokens(), counted), !cleanEnd || capReached);
  }

  @Override
  public boolean endedCleanly() {
    return cleanEnd;
  }

  @Override
  public boolean outputCapReached() {
    return capReached;
  }

  @Override
  public ErrorKind streamError() {
    return error;
  }

  @Override
  public String streamErrorMessage() {
    return errorMessage;
  }

  @Override
  public void keepTranscript() {
    if (transcript == null) {
      transcript = new AnswerTranscript();
    }
  }

  @Override
  public AnswerTranscript transcript() {
    return transcript;
  }

  /** The decoded request; valid after {@link #toUpstream}. */
  @Override
  public ChatRequest request() {
    return request;
  }
}
