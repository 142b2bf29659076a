package io.tollgate.node.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Client loops spread over the nodes: each loop keeps one chat request in flight, sending the next
 * as soon as the previous one is answered, to the next live node of its own in turn. After a
 * refusal (429, 503) or a connection error a loop waits {@code pause} before its next request, so
 * an exhausted budget does not turn into a busy loop; a loop whose nodes are all dead ends. Streamed
 * requests are read whole and their final usage chunk kept. Nothing here blocks a thread.
 */
final class ChaosTraffic {
  private final HttpClient http;
  private final List<String> nodes;
  private final Executor executor;
  private final Duration pause;
  private final AtomicIntegerArray inFlight;
  private final AtomicIntegerArray dead;
  private final ConcurrentLinkedQueue<ChaosCall> calls = new ConcurrentLinkedQueue<>();
  private final AtomicInteger admitted = new AtomicInteger();
  private final AtomicReference<Instant> firstBudgetExceeded = new AtomicReference<>();
  private final List<CompletableFuture<Void>> loops = new ArrayList<>();
  /** Threads that read streamed answers (a blocking read each); ended by {@link #stop}. */
  private final ExecutorService streamReaders = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "chaos-stream-reader");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean stopping;

  ChaosTraffic(HttpClient http, List<String> nodes, Executor executor, Duration pause) {
    this.http = http;
    this.nodes = List.copyOf(nodes);
    this.executor = executor;
    this.pause = pause;
    this.inFlight = new AtomicIntegerArray(nodes.size());
    this.dead = new AtomicIntegerArray(nodes.size());
  }

  /**
   * Starts {@code count} loops sending {@code body} (streamed when it asks for a stream) with API key
   * {@code secret} to the nodes {@code targets} (indexes; empty: every node), their calls labelled
   * {@code label}.
   */
  synchronized void start(int count, String label, String secret, String body, Set<Integer> targets) {
    for (int i = 0; i < count; i++) {
      Loop loop = new Loop(loops.size(), label, secret, body, body.contains("\"stream\":true"), targets);
      loops.add(loop.done);
      executor.execute(() -> next(loop));
    }
  }

  /** Requests answered with 200 so far, of every label. */
  int admitted() {
    return admitted.get();
  }

  /** Requests labelled {@code label} answered with 200 so far. */
  long admitted(String label) {
    return calls.stream().filter(c -> c.admitted() && c.is(label)).count();
  }

  /** When the first 429 {@code budget_exceeded} was answered; null before. */
  Instant firstBudgetExceeded() {
    return firstBudgetExceeded.get();
  }

  /**
   * Sends nothing more to {@code node} and returns how many requests are in flight to it right
   * now: every request that may still reach it is counted (a loop counts itself in before it
   * checks that the node is alive, and this marks the node dead before it reads the count).
   */
  int retire(int node) {
    dead.set(node, 1);
    return inFlight.get(node);
  }

  /** Stops every loop after its current request; completes when all have stopped. */
  CompletableFuture<Void> stop() {
    stopping = true;
    synchronized (this) {
      return CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new))
          .whenComplete((done, failure) -> streamReaders.shutdown());
    }
  }

  List<ChaosCall> calls() {
    return List.copyOf(calls);
  }

  private void next(Loop loop) {
    if (stopping) {
      loop.done.complete(null);
      return;
    }
    int node = pickNode(loop);
    if (node < 0) {
      loop.done.complete(null);
      return;
    }
    Instant sentAt = Instant.now();
    HttpRequest request = HttpRequest.newBuilder(URI.create(nodes.get(node) + "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json")
        .header("authorization", "Bearer " + loop.secret)
        .POST(HttpRequest.BodyPublishers.ofString(loop.body))
        .build();
    CompletableFuture<ChaosCall> answer = loop.streamed
        ? http.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
            .thenApplyAsync(response -> streamed(loop, node, sentAt, response), streamReaders)
        : http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
            .thenApply(response -> answered(loop, node, sentAt, response.statusCode(), response, response.body()));
    answer.whenComplete((done, failure) -> {
      inFlight.decrementAndGet(node);
      ChaosCall call = done != null ? done
          : new ChaosCall(loop.index, loop.label, node, sentAt, Instant.now(), 0, null, null, loop.streamed, null);
      calls.add(call);
      if (call.admitted()) {
        admitted.incrementAndGet();
        executor.execute(() -> next(loop));
      } else {
        if ("budget_exceeded".equals(call.errorType())) {
          firstBudgetExceeded.compareAndSet(null, call.doneAt());
        }
        CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS, executor).execute(() -> next(loop));
      }
    });
  }

  /** The next live node of this loop's in its turn, counted in flight; -1 when all of them are dead. */
  private int pickNode(Loop loop) {
    for (int tries = 0; tries < nodes.size(); tries++) {
      int node = Math.floorMod(loop.index + loop.turn++, nodes.size());
      if (!loop.targets.isEmpty() && !loop.targets.contains(node)) {
        continue;
      }
      inFlight.incrementAndGet(node);
      if (dead.get(node) == 0) {
        return node;
      }
      inFlight.decrementAndGet(node);
    }
    return -1;
  }

  /**
   * Reads a streamed answer to its end on a reader thread. A stream that breaks off after its
   * headers (the node was killed mid-stream) was received in part: it is an answer, marked
   * {@value ChaosCall#CUT}, with no usage.
   */
  private static ChaosCall streamed(Loop loop, int node, Instant sentAt, HttpResponse<Stream<String>> r) {
    StringBuilder body = new StringBuilder();
    try (Stream<String> lines = r.body()) {
      lines.forEach(line -> body.append(line).append('\n'));
    } catch (UncheckedIOException cut) {
      return new ChaosCall(loop.index, loop.label, node, sentAt, Instant.now(), r.statusCode(),
          r.headers().firstValue("x-request-id").orElse(null), ChaosCall.CUT, true, null);
    }
    return answered(loop, node, sentAt, r.statusCode(), r, body.toString());
  }

  private static ChaosCall answered(Loop loop, int node, Instant sentAt, int status, HttpResponse<?> r, String body) {
    String requestId = r.headers().firstValue("x-request-id").orElse(null);
    String errorType = null;
    ChaosCall.Usage usage = null;
    if (status != 200) {
      errorType = errorType(body);
    } else if (loop.streamed) {
      for (String line : body.split("\n")) {
        String data = line.startsWith("data:") ? line.substring(5).trim() : "";
        if (data.startsWith("{")) {
          JsonNode frame = ChaosAdmin.json(data);
          usage = frame.path("usage").isObject() ? usage(frame.get("usage")) : usage;
          errorType = frame.path("error").isObject() ? frame.at("/error/type").asText(null) : errorType;
        }
      }
    } else {
      JsonNode json = ChaosAdmin.json(body);
      usage = json.path("usage").isObject() ? usage(json.get("usage")) : null;
    }
    return new ChaosCall(loop.index, loop.label, node, sentAt, Instant.now(), status, requestId, errorType,
        loop.streamed, usage);
  }

  private static String errorType(String body) {
    try {
      return ChaosAdmin.json(body).path("error").path("type").asText(null);
    } catch (IllegalStateException notJson) {
      return "not-json: " + body;
    }
  }

  private static ChaosCall.Usage usage(JsonNode u) {
    return new ChaosCall.Usage(u.path("prompt_tokens").asLong(), u.path("prompt_tokens_details").path("cached_tokens")
        .asLong(), u.path("completion_tokens").asLong());
  }

  private static final class Loop {
    final int index;
    final String label;
    final String secret;
    final String body;
    final boolean streamed;
    final Set<Integer> targets;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    /** Only touched by the loop's own (sequential) steps. */
    int turn;

    Loop(int index, String label, String secret, String body, boolean streamed, Set<Integer> targets) {
      this.index = index;
      this.label = label;
      this.secret = secret;
      this.body = body;
      this.streamed = streamed;
      this.targets = Set.copyOf(targets);
    }
  }
}
