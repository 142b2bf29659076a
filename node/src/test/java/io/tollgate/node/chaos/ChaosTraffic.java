package io.tollgate.node.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.budget.RateLimitHeaders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Client loops spread over the nodes: each loop keeps one chat request in flight, sending the next
 * as soon as the previous one is answered, to the next live node in turn. After a refusal (429,
 * 503) or a connection error a loop waits {@code pause} before its next request, so an exhausted
 * budget does not turn into a busy loop. Nothing here blocks a thread.
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
  private volatile boolean stopping;

  ChaosTraffic(HttpClient http, List<String> nodes, Executor executor, Duration pause) {
    this.http = http;
    this.nodes = List.copyOf(nodes);
    this.executor = executor;
    this.pause = pause;
    this.inFlight = new AtomicIntegerArray(nodes.size());
    this.dead = new AtomicIntegerArray(nodes.size());
  }

  /** Starts {@code count} loops sending {@code body} with API key {@code secret}. */
  synchronized void start(int count, boolean rpmKey, String secret, String body) {
    for (int i = 0; i < count; i++) {
      Loop loop = new Loop(loops.size(), rpmKey, secret, body);
      loops.add(loop.done);
      executor.execute(() -> next(loop));
    }
  }

  /** Requests answered with 200 so far. */
  int admitted() {
    return admitted.get();
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
      return CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new));
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
    Instant sentAt = Instant.now();
    HttpRequest request = HttpRequest.newBuilder(URI.create(nodes.get(node) + "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json")
        .header("authorization", "Bearer " + loop.secret)
        .POST(HttpRequest.BodyPublishers.ofString(loop.body))
        .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
      inFlight.decrementAndGet(node);
      ChaosCall call = response == null
          ? new ChaosCall(loop.index, loop.rpmKey, node, sentAt, Instant.now(), 0, null, null, null)
          : answered(loop, node, sentAt, response);
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

  /** The next live node in this loop's turn, counted in flight. */
  private int pickNode(Loop loop) {
    for (int tries = 0; tries < nodes.size(); tries++) {
      int node = Math.floorMod(loop.index + loop.turn++, nodes.size());
      inFlight.incrementAndGet(node);
      if (dead.get(node) == 0) {
        return node;
      }
      inFlight.decrementAndGet(node);
    }
    throw new IllegalStateException("no live node left");
  }

  private static ChaosCall answered(Loop loop, int node, Instant sentAt, HttpResponse<String> r) {
    String requestId = r.headers().firstValue("x-request-id").orElse(null);
    Long window = r.headers().firstValue(RateLimitHeaders.WINDOW_HEADER).map(Long::valueOf).orElse(null);
    String errorType = null;
    if (r.statusCode() != 200) {
      try {
        JsonNode error = ChaosAdmin.json(r.body()).path("error");
        errorType = error.path("type").asText(null);
      } catch (IllegalStateException notJson) {
        errorType = "not-json: " + r.body();
      }
    }
    return new ChaosCall(loop.index, loop.rpmKey, node, sentAt, Instant.now(), r.statusCode(), requestId, errorType,
        window);
  }

  private static final class Loop {
    final int index;
    final boolean rpmKey;
    final String secret;
    final String body;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    /** Only touched by the loop's own (sequential) steps. */
    int turn;

    Loop(int index, boolean rpmKey, String secret, String body) {
      this.index = index;
      this.rpmKey = rpmKey;
      this.secret = secret;
      this.body = body;
    }
  }
}
