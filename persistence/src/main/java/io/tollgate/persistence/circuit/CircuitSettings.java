package io.tollgate.persistence.circuit;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code tollgate.circuits}: when a {@link ProviderCircuit} trips, how long it stays open, how it
 * closes again, and how nodes report to it (see {@code cluster-config/.../tollgate/circuits.conf}).
 *
 * @param window length of the sliding window the ratio rules look at
 * @param minCalls calls (successes plus failures) the window needs before a ratio rule may trip
 * @param errorRatio share of failed calls in the window that trips the circuit ({@code error_ratio})
 * @param consecutiveFailures failures in a row, across nodes, that trip it ({@code consecutive_failures})
 * @param latencySlo a call taking at least this long is slow
 * @param slowRatio share of slow calls in the window that trips it ({@code latency_slo})
 * @param openFor cool-down of the first opening; doubled on every re-open from half-open
 * @param maxOpenFor cap of that doubling
 * @param rateLimitedOpenFor cool-down after a 429 without {@code retry-after}
 * @param maxRetryAfter longest {@code retry-after} honoured; longer ones are cut to this
 * @param probesToClose successful probes, with no failure, that close a half-open circuit
 * @param halfOpenProbesPerNode probe attempts one node lets run at a time while half-open
 * @param reportInterval how often a node sends its outcome batches
 * @param askTimeout timeout of each ask to the entity (reports and admin commands)
 * @param republishInterval while open or half-open, the entity re-publishes its state at most this
 *     often when reports arrive, so nodes that joined late converge
 */
public record CircuitSettings(
    Duration window,
    int minCalls,
    double errorRatio,
    int consecutiveFailures,
    Duration latencySlo,
    double slowRatio,
    Duration openFor,
    Duration maxOpenFor,
    Duration rateLimitedOpenFor,
    Duration maxRetryAfter,
    int probesToClose,
    int halfOpenProbesPerNode,
    Duration reportInterval,
    Duration askTimeout,
    Duration republishInterval) {

  public static final String PATH = "tollgate.circuits";

  public static final CircuitSettings DEFAULTS = new CircuitSettings(
      Duration.ofSeconds(10), 10, 0.5, 5, Duration.ofSeconds(30), 0.5,
      Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofMinutes(5),
      2, 1, Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(1));

  public CircuitSettings {
    requirePositive(window, "window");
    requirePositive(latencySlo, "latency-slo");
    requirePositive(openFor, "open-for");
    requirePositive(maxOpenFor, "max-open-for");
    requirePositive(rateLimitedOpenFor, "rate-limited-open-for");
    requirePositive(maxRetryAfter, "max-retry-after");
    requirePositive(reportInterval, "report-interval");
    requirePositive(askTimeout, "ask-timeout");
    requirePositive(republishInterval, "republish-interval");
    if (minCalls < 1 || consecutiveFailures < 1 || probesToClose < 1 || halfOpenProbesPerNode < 1) {
      throw new IllegalArgumentException(
          PATH + ": min-calls, consecutive-failures, probes-to-close and half-open-probes-per-node must be at least 1");
    }
    if (!(errorRatio > 0 && errorRatio <= 1) || !(slowRatio > 0 && slowRatio <= 1)) {
      throw new IllegalArgumentException(PATH + ": error-ratio and slow-ratio must be in (0, 1]");
    }
  }

  /** Reads {@code tollgate.circuits} from {@code config}, with {@link #DEFAULTS} for missing keys. */
  public static CircuitSettings fromConfig(Config config) {
    if (!config.hasPath(PATH)) {
      return DEFAULTS;
    }
    Config c = config.getConfig(PATH);
    CircuitSettings d = DEFAULTS;
    return new CircuitSettings(
        duration(c, "window", d.window),
        integer(c, "min-calls", d.minCalls),
        c.hasPath("error-ratio") ? c.getDouble("error-ratio") : d.errorRatio,
        integer(c, "consecutive-failures", d.consecutiveFailures),
        duration(c, "latency-slo", d.latencySlo),
        c.hasPath("slow-ratio") ? c.getDouble("slow-ratio") : d.slowRatio,
        duration(c, "open-for", d.openFor),
        duration(c, "max-open-for", d.maxOpenFor),
        duration(c, "rate-limited-open-for", d.rateLimitedOpenFor),
        duration(c, "max-retry-after", d.maxRetryAfter),
        integer(c, "probes-to-close", d.probesToClose),
        integer(c, "half-open-probes-per-node", d.halfOpenProbesPerNode),
        duration(c, "report-interval", d.reportInterval),
        duration(c, "ask-timeout", d.askTimeout),
        duration(c, "republish-interval", d.republishInterval));
  }

  /** Cool-down of the {@code opens}-th opening in a row: {@code open-for} doubled per re-open, capped. */
  public Duration coolDown(int opens) {
    Duration d = openFor;
    for (int i = 1; i < opens && d.compareTo(maxOpenFor) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxOpenFor) > 0 ? maxOpenFor : d;
  }

  /** Cool-down after a 429: exactly its {@code retry-after} (capped), or the default when it had none. */
  public Duration rateLimitedCoolDown(long retryAfterMillis) {
    if (retryAfterMillis <= 0) {
      return rateLimitedOpenFor;
    }
    Duration d = Duration.ofMillis(retryAfterMillis);
    return d.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : d;
  }

  /** Whether a call of this latency counts as slow. */
  public boolean slow(long latencyMillis) {
    return latencyMillis >= latencySlo.toMillis();
  }

  private static Duration duration(Config c, String key, Duration fallback) {
    return c.hasPath(key) ? c.getDuration(key) : fallback;
  }

  private static int integer(Config c, String key, int fallback) {
    return c.hasPath(key) ? c.getInt(key) : fallback;
  }

  private static void requirePositive(Duration d, String key) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(PATH + "." + key + " must be a positive duration");
    }
  }
}
