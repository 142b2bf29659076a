package io.tollgate.persistence.circuit;

import java.time.Duration;
import java.util.Optional;

/** Whether a closed circuit trips, and for how long: the rules of {@link CircuitSettings}. */
final class TripRules {

  /** A decision to open: why, for how long, and the window's counts that led to it. */
  record Trip(String reason, Duration coolDown, long calls, long failures) {}

  private TripRules() {}

  /**
   * The first rule that fires, in this order: a 429 (its {@code retry-after}), consecutive
   * failures, the error ratio, the latency SLO. The ratio rules need {@code min-calls} in the window.
   */
  static Optional<Trip> whenClosed(
      CircuitSettings settings, OutcomeBatch batch, OutcomeWindow.Totals window, long consecutiveFailures) {
    if (batch.rateLimited() > 0) {
      return Optional.of(new Trip(CircuitReason.RATE_LIMITED,
          settings.rateLimitedCoolDown(batch.maxRetryAfterMillis()), window.calls(), window.failures()));
    }
    Duration coolDown = settings.coolDown(1);
    if (consecutiveFailures >= settings.consecutiveFailures()) {
      return Optional.of(new Trip(CircuitReason.CONSECUTIVE_FAILURES, coolDown, window.calls(), window.failures()));
    }
    if (window.calls() >= settings.minCalls()) {
      if (window.failures() >= settings.errorRatio() * window.calls()) {
        return Optional.of(new Trip(CircuitReason.ERROR_RATIO, coolDown, window.calls(), window.failures()));
      }
      if (window.slow() >= settings.slowRatio() * window.calls()) {
        return Optional.of(new Trip(CircuitReason.LATENCY_SLO, coolDown, window.calls(), window.failures()));
      }
    }
    return Optional.empty();
  }
}
