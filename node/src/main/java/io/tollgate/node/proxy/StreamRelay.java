package io.tollgate.node.proxy;

import io.tollgate.node.audit.CallRecorder;
import io.tollgate.node.audit.ClientDisconnect;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.node.http.ErrorResponses;
import io.tollgate.node.metrics.GatewayMetrics;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.sse.SseParser;
import io.tollgate.protocol.translate.ChatTranslator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Relays a provider's Server-Sent Events stream to the client through the translator, with
 * backpressure end to end (a slow reader slows the provider read; nothing buffers without bound).
 * When the stream ends — cleanly, cut by the provider, failed, or abandoned by the client (whose
 * cancellation also cancels the provider request) — the call is recorded with the usage the
 * translator has: the provider's where it arrived, else counted from what was streamed.
 */
final class StreamRelay {
  private final CallRecorder recorder;
  private final GatewayMetrics metrics;
  private final Duration idleTimeout;

  StreamRelay(CallRecorder recorder, GatewayMetrics metrics, Duration idleTimeout) {
    this.recorder = recorder;
    this.metrics = metrics;
    this.idleTimeout = idleTimeout;
  }

  HttpResponse relay(CallContext ctx, String model, ModelRoute route, ChatTranslator translator, HttpResponse upstream) {
    SseParser parser = new SseParser();
    long[] firstByteMillis = {-1};
    Source<ByteString, NotUsed> body =
        upstream.entity().getDataBytes()
            .idleTimeout(idleTimeout)
            .map(chunk -> ByteString.fromString(translate(parser.feed(chunk.toArray()), translator)))
            // after an in-band error nothing more reaches the client: stop (and cancel) the provider
            .takeWhile(bytes -> translator.streamError() == null, true)
            // concatLazy: plain concat pulls the tail early, which would end the stream before it began
            .concatLazy(Source.lazySingle(() -> ByteString.fromString(
                translate(parser.finish(), translator) + translator.onStreamEnd())))
            .recover(new PFBuilder<Throwable, ByteString>()
                .matchAny(failure -> ByteString.fromString(failFrames(translator, failure)))
                .build())
            .filter(bytes -> !bytes.isEmpty())
            .map(bytes -> {
              if (firstByteMillis[0] < 0) {
                firstByteMillis[0] = ctx.elapsedMillis();
              }
              ctx.bodies().ifPresent(b -> b.response(bytes.utf8String()));
              return bytes;
            })
            .watchTermination((ignored, done) -> {
              metrics.streamStarted();
              done.whenComplete((d, e) -> {
                metrics.streamEnded();
                record(ctx, model, route, translator, firstByteMillis[0]);
              });
              return NotUsed.getInstance();
            });
    return HttpResponse.create()
        .withEntity(HttpEntities.createChunked(MediaTypes.TEXT_EVENT_STREAM.toContentType(), body))
        .addHeaders(UsageHeaders.served(route));
  }

  private static String translate(List<SseEvent> events, ChatTranslator translator) {
    if (events.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (SseEvent e : events) {
      out.append(translator.onStreamEvent(e));
    }
    return out.toString();
  }

  private static String failFrames(ChatTranslator translator, Throwable failure) {
    Throwable cause = ErrorResponses.unwrap(failure);
    if (cause instanceof TimeoutException) {
      return translator.onStreamFailure(ErrorKind.UPSTREAM_TIMEOUT, "The provider stopped sending for too long.");
    }
    if (cause instanceof GatewayException g) {
      return translator.onStreamFailure(g.kind(), g.getMessage());
    }
    return translator.onStreamFailure(ErrorKind.UPSTREAM_ERROR, "The provider stream broke off before it was complete.");
  }

  private void record(CallContext ctx, String model, ModelRoute route, ChatTranslator t, long ttftMillis) {
    int status = 200;
    String errorType = null;
    if (t.streamError() != null) {
      status = t.streamError().status();
      errorType = CallRecorder.errorType(t.streamError());
    } else if (!t.endedCleanly()) {
      status = ClientDisconnect.STATUS;
      errorType = ClientDisconnect.TYPE;
    }
    recorder.record(ctx, new CallRecorder.Outcome(model, route, t.usage(), status, errorType, ttftMillis, true));
  }
}
