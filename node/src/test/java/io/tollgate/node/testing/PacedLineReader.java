package io.tollgate.node.testing;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A deliberately slow client: it asks the HTTP client for one line of the body at a time and asks
 * for the next only after a pause, so the stream is read through real backpressure (demand), not by
 * sleeping threads. Use with {@link java.net.http.HttpResponse.BodyHandlers#fromLineSubscriber}.
 */
public final class PacedLineReader implements Flow.Subscriber<String> {
  private final long paceMicros;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "paced-line-reader");
    t.setDaemon(true);
    return t;
  });
  private final List<String> lines = new ArrayList<>();
  private final CompletableFuture<List<SseFrame>> frames = new CompletableFuture<>();
  private Flow.Subscription subscription;

  public PacedLineReader(Duration pace) {
    this.paceMicros = TimeUnit.NANOSECONDS.toMicros(pace.toNanos());
  }

  /** The frames read, once the stream has ended; fails if the body failed. */
  public CompletableFuture<List<SseFrame>> frames() {
    return frames;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    askLater();
  }

  @Override
  public void onNext(String line) {
    lines.add(line);
    askLater();
  }

  @Override
  public void onError(Throwable failure) {
    timer.shutdownNow();
    frames.completeExceptionally(failure);
  }

  @Override
  public void onComplete() {
    timer.shutdownNow();
    byte[] body = String.join("\n", lines).concat("\n").getBytes(StandardCharsets.UTF_8);
    try (SseReader reader = new SseReader(new ByteArrayInputStream(body))) {
      frames.complete(reader.rest());
    }
  }

  private void askLater() {
    if (!timer.isShutdown()) {
      timer.schedule(() -> subscription.request(1), paceMicros, TimeUnit.MICROSECONDS);
    }
  }
}
