package io.tollgate.fake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Turns a {@link StreamScript} and a {@link Behaviour} into the response body source: timing from
 * scheduled futures (never a sleeping thread), failure modes applied to the body frames.
 */
final class TimedFrames {
  /** Lets the frames before a cut reach the client before the connection is aborted. */
  private static final Duration CUT_GRACE = Duration.ofMillis(30);

  private record Frame(long delayMillis, ByteString bytes) {}

  private TimedFrames() {}

  static Source<ByteString, NotUsed> stream(
      StreamScript script, ChatWire wire, Behaviour b, ActorSystem system, Runnable onCancel) {
    List<Frame> frames = new ArrayList<>();
    for (ByteString h : script.head()) {
      frames.add(new Frame(frames.isEmpty() ? b.ttftMillis() : 0, h));
    }
    List<ByteString> body = script.body();
    int n = b.failureAfterChunks();
    boolean cut = false;
    int upTo = body.size();
    if (b.failure() == Behaviour.Failure.CUT_AFTER_N || b.failure() == Behaviour.Failure.IN_BAND_ERROR) {
      upTo = Math.min(n, body.size());
    }
    for (int i = 0; i < upTo; i++) {
      ByteString frame = body.get(i);
      if (b.failure() == Behaviour.Failure.MALFORMED_CHUNK && i == Math.min(n, body.size()) - 1) {
        frame = malformed(frame);
      }
      frames.add(new Frame(frames.isEmpty() ? b.ttftMillis() : i == 0 ? 0 : b.chunkDelayMillis(), frame));
    }
    switch (b.failure()) {
      case CUT_AFTER_N -> cut = true;
      case IN_BAND_ERROR -> frames.add(new Frame(
          frames.isEmpty() ? b.ttftMillis() : upTo == 0 ? 0 : b.chunkDelayMillis(), wire.inBandErrorFrame()));
      default -> script.tail().forEach(t -> frames.add(new Frame(0, t)));
    }
    Source<ByteString, NotUsed> source = source(frames, system);
    if (cut) {
      source = source.concat(cutSource(system));
    }
    return source.via(new CancelWatch(onCancel));
  }

  /** A non-streaming body that aborts halfway. */
  static Source<ByteString, NotUsed> cutBody(byte[] body, ActorSystem system) {
    return Source.single(ByteString.fromArray(body, 0, body.length / 2)).concat(cutSource(system));
  }

  /** Cuts every {@code data:} line of a frame in half, leaving broken JSON. */
  static ByteString malformed(ByteString frame) {
    String[] lines = frame.utf8String().split("\n", -1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.startsWith("data: ")) {
        String payload = line.substring(6).stripTrailing();
        line = "data: " + payload.substring(0, payload.length() / 2) + (line.endsWith("\r") ? "\r" : "");
      }
      sb.append(line);
      if (i < lines.length - 1) {
        sb.append('\n');
      }
    }
    return ByteString.fromString(sb.toString());
  }

  private static Source<ByteString, NotUsed> source(List<Frame> frames, ActorSystem system) {
    boolean timed = frames.stream().anyMatch(f -> f.delayMillis() > 0);
    if (!timed) {
      return Source.from(frames.stream().map(Frame::bytes).toList());
    }
    return Source.from(frames).mapAsync(1, f -> f.delayMillis() == 0
        ? CompletableFuture.completedFuture(f.bytes())
        : Patterns.after(Duration.ofMillis(f.delayMillis()), system,
            () -> CompletableFuture.completedFuture(f.bytes())));
  }

  private static Source<ByteString, NotUsed> cutSource(ActorSystem system) {
    return Source.lazyCompletionStage(() -> Patterns.<ByteString>after(CUT_GRACE, system,
        () -> CompletableFuture.failedFuture(new StreamCut())))
        .mapMaterializedValue(m -> NotUsed.getInstance());
  }
}
