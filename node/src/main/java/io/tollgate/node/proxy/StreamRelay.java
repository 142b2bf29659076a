package io.tollgate.node.proxy;

import io.tollgate.node.Stages;
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
import io.tollgate.protocol.usage.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Relays a provider's Server-Sent Events stream to the client through the translator, with
 * backpressure end to end (a slow reader slows the provider read; nothing buffers without bound).
 *
 * <p>Nothing is sent until the answer itself has begun (the frames before it, such as the role chunk,
 * are held back): a stream that fails, ends or turns into an error event before that is a failed
 * attempt the caller moves to another deployment, and the client never sees it. After the first byte a failure becomes an in-band
 * error event in the client's format, never a clean end. A stream whose output reaches the request's
 * cap ends there for the client (finish {@code length}) and the provider request is cancelled. When
 * the stream ends — cleanly, at its cap, cut by the provider, failed, or abandoned by the client
 * (whose cancellation also cancels the provider request) — the call is recorded, exactly once, with
 * the usage the translator has and the circuit is told. A response whose body Pekko HTTP never
 * subscribes to (the client left before the first byte) is recorded as abandoned once the
 * materializer's subscription timeout has passed; by then that timeout has cancelled the provider
 * request.
 */
final class StreamRelay {
  /** Past the subscription timeout, so a subscription at its very end is not mistaken for none. */
  private static final Duration NOT_SUBSCRIBED_MARGIN = Duration.ofMillis(500);
  private final CallRecorder recorder;
  private final GatewayMetrics metrics;
  private final Duration idleTimeout;
  private final Materializer materializer;
  private final DeploymentFeedback feedback;
  private final ReservationOverruns overruns;
  private final Duration subscriptionTimeout;

  StreamRelay(
      CallRecorder recorder, GatewayMetrics metrics, Duration idleTimeout, Materializer materializer,
      DeploymentFeedback feedback, ReservationOverruns overruns, Duration subscriptionTimeout) {
    this.recorder = recorder;
    this.metrics = metrics;
    this.idleTimeout = idleTimeout;
    this.materializer = materializer;
    this.feedback = feedback;
    this.overruns = overruns;
    this.subscriptionTimeout = subscriptionTimeout;
  }

  /**
   * How long a substream (the body of a relayed stream) may wait for its subscriber before the
   * materializer cancels it: {@code pekko.stream.materializer.subscription-timeout.timeout}.
   */
  static Duration subscriptionTimeout(com.typesafe.config.Config config) {
    return config.getDuration("pekko.stream.materializer.subscription-timeout.timeout");
  }

  CompletionStage<AttemptOutcome> open(
      CallContext ctx, String model, ModelRoute route, ChatTranslator translator, HttpResponse upstream,
      long attemptStartNanos) {
    SseParser parser = new SseParser();
    // Each element carries the translator's state as it was right after that chunk: the stages
    // below run ahead of each other, so reading the translator there would see later chunks.
    Source<Translated, Object> translated =
        upstream.entity().getDataBytes()
            .idleTimeout(idleTimeout)
            .map(chunk -> new Translated(
                ByteString.fromString(translate(parser.feed(chunk.toArray()), translator)),
                translator.answerStarted(), translator.streamError() != null, translator.outputCapReached()))
            .filter(t -> !t.bytes().isEmpty())
            .statefulMap(() -> Translated.HOLDING, StreamRelay::holdUntilAnswer,
                held -> held.bytes().isEmpty() ? Optional.empty() : Optional.of(held))
            .filter(t -> !t.bytes().isEmpty());
    return Stages.plain(translated.prefixAndTail(1).runWith(Sink.head(), materializer))
        .handle((split, failure) -> {
          long ttft = Attempts.millisSince(attemptStartNanos);
          if (failure != null) {
            feedback.failed(route, ttft);
            return Attempts.failedWith(route, failure);
          }
          Translated first = split.first().isEmpty() ? null : split.first().get(0);
          if (first == null || !first.answerStarted() || first.failed()) {
            split.second().runWith(Sink.cancelled(), materializer);
            feedback.failed(route, ttft);
            return CompletableFuture.completedFuture(beforeFirstByte(route, translator));
          }
          // Durable before visible: the first byte waits for the call's admission row.
          return Stages.plain(ctx.durable()).handle((durable, notDurable) -> notDurable == null
              ? new AttemptOutcome.Served(relay(ctx, model, route, translator, parser, split, attemptStartNanos, ttft))
              : refuse(ctx, model, route, translator, split, ttft, notDurable));
        })
        .thenCompose(outcome -> outcome);
  }

  /** Not durable in time: the provider stream is cancelled, what it used so far recorded, the client gets a 503. */
  private AttemptOutcome refuse(
      CallContext ctx, String model, ModelRoute route, ChatTranslator translator,
      Pair<List<Translated>, Source<Translated, NotUsed>> split, long ttft, Throwable notDurable) {
    split.second().runWith(Sink.cancelled(), materializer);
    feedback.neutral(route, ttft);
    recorder.record(ctx, new CallRecorder.Outcome(model, route, translator.usage(),
        ErrorKind.AUDIT_UNAVAILABLE.status(), CallRecorder.NOT_DURABLE, -1, true));
    return new AttemptOutcome.Served(ErrorResponses.of(ctx.api(), ErrorResponses.classify(notDurable)));
  }

  /** Translated output and the translator's state right after producing it. */
  private record Translated(ByteString bytes, boolean answerStarted, boolean failed, boolean capped) {
    static final Translated HOLDING = new Translated(ByteString.emptyByteString(), false, false, false);
    static final Translated NOTHING = new Translated(ByteString.emptyByteString(), true, false, false);
  }

  /**
   * Holds the frames before the answer (role chunk, message start) and lets them out together with
   * the first answer frame or error; from then on everything passes. State: what is held, or
   * {@link Translated#NOTHING} once released.
   */
  private static Pair<Translated, Translated> holdUntilAnswer(Translated held, Translated next) {
    if (held == Translated.NOTHING) {
      return Pair.create(Translated.NOTHING, next);
    }
    Translated all = new Translated(
        held.bytes().concat(next.bytes()), next.answerStarted(), next.failed(), next.capped());
    return next.answerStarted() || next.failed()
        ? Pair.create(Translated.NOTHING, all)
        : Pair.create(all, Translated.HOLDING);
  }

  /** The stream ended or opened with an error before the client saw anything: the client may still get another deployment's answer. */
  private static AttemptOutcome beforeFirstByte(ModelRoute route, ChatTranslator translator) {
    ErrorKind kind = translator.streamError() != null ? translator.streamError() : ErrorKind.UPSTREAM_ERROR;
    // the provider's own text may name the operator's account or deployment: the tenant gets ours
    String message = translator.streamError() != null
        ? TenantFacingErrors.message(kind)
        : "The provider stream ended before its first event.";
    return new AttemptOutcome.Failed(route, Duration.ZERO, "stream failed before its first event",
        () -> CompletableFuture.failedFuture(new GatewayException(kind, message)));
  }

  private HttpResponse relay(
      CallContext ctx, String model, ModelRoute route, ChatTranslator translator, SseParser parser,
      Pair<List<Translated>, Source<Translated, NotUsed>> split, long attemptStartNanos, long attemptTtft) {
    long firstByteMillis = ctx.elapsedMillis();
    AtomicBoolean subscribed = new AtomicBoolean();
    AtomicBoolean recorded = new AtomicBoolean();
    Source<ByteString, NotUsed> body =
        Source.from(split.first()).concat(split.second())
            // after an in-band error or at the output cap nothing more reaches the client: stop (and
            // cancel) the provider
            .takeWhile(t -> !t.failed() && !t.capped(), true)
            .map(Translated::bytes)
            // concatLazy: plain concat pulls the tail early, which would end the stream before it began
            .concatLazy(Source.lazySingle(() -> ByteString.fromString(
                translate(parser.finish(), translator) + translator.onStreamEnd())))
            .recover(new PFBuilder<Throwable, ByteString>()
                .matchAny(failure -> ByteString.fromString(failFrames(translator, failure)))
                .build())
            .filter(bytes -> !bytes.isEmpty())
            .map(bytes -> {
              ctx.bodies().ifPresent(b -> b.response(bytes.utf8String()));
              return bytes;
            })
            .watchTermination((ignored, done) -> {
              subscribed.set(true);
              metrics.streamStarted();
              done.whenComplete((d, e) -> {
                metrics.streamEnded();
                ctx.releaseShare();
                if (!recorded.compareAndSet(false, true)) {
                  return;
                }
                record(ctx, model, route, translator, firstByteMillis);
                ctx.answerSink().ifPresent(sink -> sink.answered(translator, true));
                if (translator.streamError() != null) {
                  feedback.failed(route, attemptTtft);
                } else {
                  feedback.succeeded(route, attemptTtft, Attempts.millisSince(attemptStartNanos));
                }
              });
              return NotUsed.getInstance();
            });
    // Pekko HTTP runs the body only when it renders the response: if the client is gone by then it
    // never does, watchTermination never fires, and the call would be neither recorded nor settled.
    materializer.scheduleOnce(
        scala.concurrent.duration.FiniteDuration.fromNanos(subscriptionTimeout.plus(NOT_SUBSCRIBED_MARGIN).toNanos()), () -> {
      if (!subscribed.get() && recorded.compareAndSet(false, true)) {
        ctx.releaseShare();
        // the tail substream was cancelled by its own subscription timeout, which cancels the provider
        split.second().runWith(Sink.cancelled(), materializer);
        recorder.record(ctx, new CallRecorder.Outcome(model, route, translator.usage(), ClientDisconnect.STATUS,
            ClientDisconnect.TYPE, firstByteMillis, true));
        ctx.answerSink().ifPresent(sink -> sink.answered(translator, true));
        feedback.succeeded(route, attemptTtft, Attempts.millisSince(attemptStartNanos));
      }
    });
    return HttpResponse.create()
        .withEntity(HttpEntities.createChunked(MediaTypes.TEXT_EVENT_STREAM.toContentType(), body))
        .addHeaders(UsageHeaders.served(route, ctx.attempts()));
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
    Usage usage = t.usage();
    long cost = recorder.record(ctx, new CallRecorder.Outcome(model, route, usage, status, errorType, ttftMillis, true));
    overruns.check(ctx, route, usage, cost, true);
  }
}
