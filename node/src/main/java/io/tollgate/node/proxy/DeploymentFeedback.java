package io.tollgate.node.proxy;

import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.node.circuit.CallResult;
import io.tollgate.node.circuit.CircuitBook;
import io.tollgate.node.metrics.GatewayMetrics;
import io.tollgate.node.routing.LatencyBook;
import io.tollgate.node.routing.ProviderQuotas;
import java.time.Duration;

/**
 * Where every attempt's end is told: the deployment's circuit (exactly once per admitted attempt),
 * its latency averages, its provider-TPM use on this node and the attempts counter.
 */
final class DeploymentFeedback {
  private final CircuitBook circuits;
  private final LatencyBook latency;
  private final ProviderQuotas quotas;
  private final GatewayMetrics metrics;

  DeploymentFeedback(CircuitBook circuits, LatencyBook latency, ProviderQuotas quotas, GatewayMetrics metrics) {
    this.circuits = circuits;
    this.latency = latency;
    this.quotas = quotas;
    this.metrics = metrics;
  }

  /**
   * Whether an attempt may go to the deployment now (a half-open circuit admits only probes); an
   * admitted attempt counts its planned tokens against the deployment's provider TPM at once, so a
   * burst cannot overrun it before the answers come back.
   */
  boolean tryAcquire(ModelRoute route, long plannedTokens) {
    if (!circuits.tryAcquire(route.deploymentId())) {
      return false;
    }
    if (route.providerTpm() > 0) {
      quotas.use(route.deploymentId(), plannedTokens);
    }
    return true;
  }

  /**
   * The deployment answered: {@code ttftMillis} is -1 for whole answers; the circuit's latency is
   * the time to first token for streams and the whole time otherwise.
   */
  void succeeded(ModelRoute route, long ttftMillis, long totalMillis) {
    circuits.record(route.deploymentId(),
        new CallResult(CallResult.Kind.SUCCESS, ttftMillis >= 0 ? ttftMillis : totalMillis, Duration.ZERO));
    latency.record(route.deploymentId(), ttftMillis, totalMillis);
    metrics.recordAttempt(route.deploymentId(), "success");
  }

  void failed(ModelRoute route, long latencyMillis) {
    circuits.record(route.deploymentId(), new CallResult(CallResult.Kind.FAILURE, latencyMillis, Duration.ZERO));
    metrics.recordAttempt(route.deploymentId(), "failure");
  }

  void rateLimited(ModelRoute route, long latencyMillis, Duration retryAfter) {
    circuits.record(route.deploymentId(), new CallResult(CallResult.Kind.RATE_LIMITED, latencyMillis, retryAfter));
    metrics.recordAttempt(route.deploymentId(), "rate_limited");
  }

  /**
   * A 429 about this request only ({@link RateLimitScope}): counted as rate limited, but the circuit
   * takes it as neutral, so one caller's oversized or bursty requests do not close the deployment to all.
   */
  void rateLimitedRequest(ModelRoute route, long latencyMillis) {
    circuits.record(route.deploymentId(), new CallResult(CallResult.Kind.NEUTRAL, latencyMillis, Duration.ZERO));
    metrics.recordAttempt(route.deploymentId(), "rate_limited_request");
  }

  /** The attempt says nothing about the deployment's health (a client error, a request refused as invalid). */
  void neutral(ModelRoute route, long latencyMillis) {
    circuits.record(route.deploymentId(), new CallResult(CallResult.Kind.NEUTRAL, latencyMillis, Duration.ZERO));
    metrics.recordAttempt(route.deploymentId(), "neutral");
  }
}
