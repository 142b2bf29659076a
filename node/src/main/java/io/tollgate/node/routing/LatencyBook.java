package io.tollgate.node.routing;

import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's exponentially weighted moving averages of each deployment's time to first token and
 * total latency, in milliseconds, for the least-latency strategy. Node-local on purpose: latency
 * depends on where the node runs. Lock-free: each average is a double in an {@link AtomicLong}
 * updated by compare-and-set; the first sample sets the average.
 */
public final class LatencyBook {
  /** Weight of the newest sample. */
  public static final double DEFAULT_ALPHA = 0.2;
  private static final long UNMEASURED = Double.doubleToRawLongBits(Double.NaN);

  private final double alpha;
  private final ConcurrentMap<String, Averages> byDeployment = new ConcurrentHashMap<>();

  public LatencyBook() {
    this(DEFAULT_ALPHA);
  }

  /** {@code alpha} in (0, 1]: the weight of each new sample (1 keeps only the last one). */
  public LatencyBook(double alpha) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
    }
    this.alpha = alpha;
  }

  /**
   * One finished call.
   *
   * @param ttftMillis time to the first streamed token; negative when the call was not streamed
   * @param totalMillis time to the whole answer; negative when unknown (e.g. the call failed)
   */
  public void record(String deploymentId, long ttftMillis, long totalMillis) {
    if (ttftMillis < 0 && totalMillis < 0) {
      return;
    }
    Averages a = byDeployment.get(deploymentId);
    if (a == null) {
      a = byDeployment.computeIfAbsent(deploymentId, id -> new Averages());
    }
    if (ttftMillis >= 0) {
      update(a.ttft, ttftMillis);
    }
    if (totalMillis >= 0) {
      update(a.total, totalMillis);
    }
  }

  public OptionalDouble ttft(String deploymentId) {
    return optional(mean(deploymentId, true));
  }

  public OptionalDouble total(String deploymentId) {
    return optional(mean(deploymentId, false));
  }

  /** The average without allocating: NaN while the deployment has no sample of that kind. */
  double mean(String deploymentId, boolean ttft) {
    Averages a = byDeployment.get(deploymentId);
    if (a == null) {
      return Double.NaN;
    }
    return Double.longBitsToDouble((ttft ? a.ttft : a.total).get());
  }

  private void update(AtomicLong average, long sample) {
    while (true) {
      long bits = average.get();
      double next = bits == UNMEASURED ? sample : Double.longBitsToDouble(bits) * (1 - alpha) + sample * alpha;
      if (average.compareAndSet(bits, Double.doubleToRawLongBits(next))) {
        return;
      }
    }
  }

  private static OptionalDouble optional(double v) {
    return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  private static final class Averages {
    final AtomicLong ttft = new AtomicLong(UNMEASURED);
    final AtomicLong total = new AtomicLong(UNMEASURED);
  }
}
