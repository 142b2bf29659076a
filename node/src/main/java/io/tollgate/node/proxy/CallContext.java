package io.tollgate.node.proxy;

import io.tollgate.node.audit.BodyCapture;
import io.tollgate.node.auth.Caller;
import io.tollgate.node.budget.Admission;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.node.metrics.GenAiOperation;
import io.tollgate.protocol.ClientApi;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What is known about one call from the moment it arrives (who, which API and operation, when),
 * once admitted, the budget admission it must settle exactly once, and the deployment it is trying.
 */
public final class CallContext {
  private final String requestId;
  private final ClientApi api;
  private final GenAiOperation operation;
  private final Caller caller;
  private final Instant startedAt;
  private final long startNanos;
  private volatile Admission admission;
  private volatile BodyCapture bodies;
  private final AtomicBoolean settled = new AtomicBoolean();
  private volatile ModelRoute route;
  private volatile int attempts;
  private volatile CompletionStage<Void> durable = CompletableFuture.completedFuture(null);
  private final AtomicReference<TenantShares.Slot> share = new AtomicReference<>();
  private volatile String cacheControl;
  private volatile AnswerSink answerSink;
  private volatile String cacheResult;
  private volatile long cacheSavedMicros;

  public CallContext(
      String requestId, ClientApi api, GenAiOperation operation, Caller caller, Instant startedAt, long startNanos) {
    this.requestId = requestId;
    this.api = api;
    this.operation = operation;
    this.caller = caller;
    this.startedAt = startedAt;
    this.startNanos = startNanos;
  }

  public String requestId() {
    return requestId;
  }

  public ClientApi api() {
    return api;
  }

  public GenAiOperation operation() {
    return operation;
  }

  public Caller caller() {
    return caller;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public long elapsedMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Keep this call's bodies (the tenant opted in to body storage). */
  public void captureBodies(BodyCapture capture) {
    this.bodies = capture;
  }

  /** The bodies being kept, when the tenant opted in. */
  public Optional<BodyCapture> bodies() {
    return Optional.ofNullable(bodies);
  }

  void admitted(Admission a) {
    this.admission = a;
  }

  /** The budget admission, once the call was admitted. */
  public Optional<Admission> admission() {
    return Optional.ofNullable(admission);
  }

  /** The admission to settle, the first time only; empty when not admitted or already settled. */
  public Optional<Admission> admissionToSettle() {
    Admission a = admission;
    return a != null && settled.compareAndSet(false, true) ? Optional.of(a) : Optional.empty();
  }

  /** The call's admission row is being written: {@link #durable()} completes when it is acknowledged. */
  void durableWhen(CompletionStage<Void> written) {
    this.durable = written;
  }

  /**
   * Completes once the call exists durably (its admission row is written); fails when it could not
   * be made durable in time. No byte of the answer may reach the client before it completes.
   * Complete at once for calls without a lease (no limits, fail-open overdraft).
   */
  public CompletionStage<Void> durable() {
    return durable;
  }

  /** The request's {@code Cache-Control} header, null when it sent none. */
  public void cacheControl(String value) {
    this.cacheControl = value;
  }

  public String cacheControl() {
    return cacheControl;
  }

  /** What the response cache did for this call (hit, miss, bypass, refresh), and what a hit saved. */
  void cacheResult(String result, long savedMicros) {
    this.cacheResult = result;
    this.cacheSavedMicros = savedMicros;
  }

  /** Null when the cache was not involved. */
  public String cacheResult() {
    return cacheResult;
  }

  public long cacheSavedMicros() {
    return cacheSavedMicros;
  }

  /** Someone (the response cache) wants the served answer once it has ended. */
  void keepAnswer(AnswerSink sink) {
    this.answerSink = sink;
  }

  /** Who wants the served answer; empty for most calls. */
  public Optional<AnswerSink> answerSink() {
    return Optional.ofNullable(answerSink);
  }

  /** An attempt starts on {@code deployment} (attempts of one call run one after another). */
  void attempting(ModelRoute deployment) {
    this.route = deployment;
    this.attempts++;
  }

  /** The deployment of the latest attempt; null before the first. */
  public ModelRoute route() {
    return route;
  }

  /** Provider attempts made so far. */
  public int attempts() {
    return attempts;
  }

  /** The current attempt holds {@code slot} of the tenant's share (the previous attempt's, if any, is released). */
  void holdShare(TenantShares.Slot slot) {
    TenantShares.Slot previous = share.getAndSet(slot);
    if (previous != null) {
      previous.release();
    }
  }

  /** The call no longer uses a provider connection: its answer was read or its stream ended. Idempotent. */
  void releaseShare() {
    TenantShares.Slot held = share.getAndSet(null);
    if (held != null) {
      held.release();
    }
  }
}
