package io.tollgate.node.region;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * A steady stream of chat calls on a background thread, one after the other: call {@code i} goes
 * to {@code nodes[i % nodes.size()]} with the key {@code keyFor.apply(i)}, until {@link #stop}.
 * Every call is recorded with the moment it was sent.
 */
final class CallStream implements AutoCloseable {
  /** One call of the stream: when it was sent, to which node, with which key, and its answer. */
  record Sent(int index, Instant at, String node, RegionAdmin.Key key, RegionAdmin.Chat chat) {}

  private final List<Sent> sent = new CopyOnWriteArrayList<>();
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "region-call-stream");
    t.setDaemon(true);
    return t;
  });
  private final Future<?> running;
  private volatile boolean stopping;

  private CallStream(RegionAdmin admin, List<String> nodes, IntFunction<RegionAdmin.Key> keyFor, String body) {
    List<String> targets = List.copyOf(nodes);
    running = thread.submit(() -> {
      for (int i = 0; !stopping; i++) {
        String node = targets.get(i % targets.size());
        RegionAdmin.Key key = keyFor.apply(i);
        Instant at = Instant.now();
        sent.add(new Sent(i, at, node, key, admin.chat(node, key.secret(), body)));
      }
    });
  }

  static CallStream start(RegionAdmin admin, List<String> nodes, IntFunction<RegionAdmin.Key> keyFor, String body) {
    return new CallStream(admin, nodes, keyFor, body);
  }

  /** Calls answered (or failed) so far. */
  int count() {
    return sent.size();
  }

  /** The calls so far. */
  List<Sent> calls() {
    return List.copyOf(sent);
  }

  /** Ends the stream after the call in progress; every call made, in order. */
  List<Sent> stop() {
    stopping = true;
    try {
      running.get(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the call stream failed", e);
    } finally {
      thread.shutdownNow();
    }
    return List.copyOf(sent);
  }

  @Override
  public void close() {
    stopping = true;
    thread.shutdownNow();
  }
}
