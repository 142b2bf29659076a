package io.tollgate.node.routing;

import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.protocol.usage.Usage;
import java.math.BigDecimal;
import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * Why each candidate of a decision is where it is, e.g. {@code local region, priority 1} or
 * {@code failover: region eu, ttft avg 120 ms}. Immutable; each reason is formatted when read, so
 * that the request path, which rarely reads them, does not pay for the strings.
 */
final class CandidateReasons extends AbstractList<String> implements RandomAccess {
  private final RoutingStrategy strategy;
  private final RoutingRequest request;
  private final String nodeRegion;
  private final ModelRoute[] ordered;
  private final int[] tiers;
  /** Per candidate, for least latency: the moving average compared, or -1 when unmeasured. */
  private final double[] primary;

  CandidateReasons(RoutingStrategy strategy, RoutingRequest request, String nodeRegion, ModelRoute[] ordered,
      int[] tiers, double[] primary) {
    this.strategy = strategy;
    this.request = request;
    this.nodeRegion = nodeRegion;
    this.ordered = ordered;
    this.tiers = tiers;
    this.primary = primary;
  }

  /** The usage a lowest-cost decision prices: the request's input and its maximum output. */
  static Usage estimate(RoutingRequest request) {
    return new Usage(Math.max(0, request.inputTokens()), 0, 0, Math.max(0, request.maxOutputTokens()), true);
  }

  @Override
  public int size() {
    return ordered.length;
  }

  @Override
  public String get(int index) {
    ModelRoute d = ordered[index];
    int tier = tiers[index];
    StringBuilder sb = new StringBuilder(64);
    if ((tier & Router.REMOTE) != 0) {
      sb.append("failover: region ").append(d.region());
    } else if (d.region().isEmpty()) {
      sb.append("global endpoint");
    } else if (d.region().equals(nodeRegion)) {
      sb.append("local region");
    } else {
      sb.append("region ").append(d.region());
    }
    if ((tier & Router.HALF_OPEN) != 0) {
      sb.append(", circuit half-open (probe)");
    }
    switch (strategy) {
      case PRIORITY -> {
        sb.append(", priority ").append(d.priority());
        long tied = weightOf(index, true);
        if (tied > d.weight()) {
          sb.append(", weight ").append(d.weight()).append(" of ").append(tied);
        }
      }
      case WEIGHTED -> sb.append(", weight ").append(d.weight()).append(" of ").append(weightOf(index, false));
      case LEAST_LATENCY -> {
        String kind = request.streaming() ? "ttft" : "latency";
        if (primary[index] < 0) {
          sb.append(", no ").append(kind).append(" samples yet (tried first to measure it)");
        } else {
          sb.append(", ").append(kind).append(" avg ").append(Math.round(primary[index])).append(" ms");
        }
      }
      case LOWEST_COST -> sb.append(", $")
          .append(BigDecimal.valueOf(d.price().costMicros(estimate(request)), 6).stripTrailingZeros().toPlainString())
          .append(" per call estimated");
    }
    if ((tier & Router.OVER_QUOTA) != 0) {
      sb.append(", provider TPM share used up this minute (nothing else left)");
    }
    return sb.toString();
  }

  /** Sum of the positive weights in the candidate's tier (and, with {@code samePriority}, of its priority). */
  private long weightOf(int index, boolean samePriority) {
    long sum = 0;
    for (int i = 0; i < ordered.length; i++) {
      if ((tiers[i] & ~Router.HALF_OPEN) == (tiers[index] & ~Router.HALF_OPEN) && (!samePriority || ordered[i].priority() == ordered[index].priority())) {
        sum += Math.max(0, ordered[i].weight());
      }
    }
    return sum;
  }
}
