package io.tollgate.node.routing;

import io.tollgate.node.catalog.ModelGroup;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.persistence.circuit.CircuitPhase;
import io.tollgate.persistence.tenantadmin.TenantRouting;
import io.tollgate.protocol.usage.Price;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Orders a model group's deployments for one request. Pure: it reads the node's circuit view,
 * latency averages and provider TPM shares, never asks anyone and takes no lock.
 *
 * <p>The tenant's policy (pins, allowed lists) filters first, then open circuits. The rest fall in
 * two tiers, tried in this order: local (the node's region and global endpoints), then other
 * regions; the strategy orders each tier. A half-open deployment keeps its place: the circuit's
 * probe permits decide which requests try it, and the others pass on to the next candidate. Deployments over
 * this node's provider-TPM share are skipped, unless nothing else is left: then they are the
 * candidates, in the same tiers.
 */
public final class Router {
  static final int HALF_OPEN = 1;
  static final int REMOTE = 2;
  static final int OVER_QUOTA = 4;

  private final String nodeRegion;
  private final CircuitPhases circuits;
  private final LatencyBook latency;
  private final ProviderQuotas quotas;
  private final Supplier<? extends RandomGenerator> random;

  /** For production: {@link ThreadLocalRandom} for the weighted orders. */
  public Router(String nodeRegion, CircuitPhases circuits, LatencyBook latency, ProviderQuotas quotas) {
    this(nodeRegion, circuits, latency, quotas, ThreadLocalRandom::current);
  }

  /**
   * @param nodeRegion this node's region; empty when the node has none, and then every deployment is local
   * @param random called once per decision that needs a draw, on the calling thread (seeded in tests)
   */
  public Router(String nodeRegion, CircuitPhases circuits, LatencyBook latency, ProviderQuotas quotas,
      Supplier<? extends RandomGenerator> random) {
    this.nodeRegion = nodeRegion == null ? "" : nodeRegion;
    this.circuits = circuits;
    this.latency = latency;
    this.quotas = quotas;
    this.random = random;
  }

  public String nodeRegion() {
    return nodeRegion;
  }

  public RoutingDecision route(ModelGroup group, RoutingRequest request) {
    RoutingStrategy strategy = request.strategy() != null ? request.strategy() : group.strategy();
    String model = group.logicalModel();
    TenantRouting policy = request.policy();
    long tokens = request.worstCaseTokens();
    List<ModelRoute> all = group.deployments();
    int n = all.size();
    ModelRoute[] routes = new ModelRoute[n];
    int[] tiers = new int[n];
    List<RoutingDecision.Skipped> skipped = null;
    int count = 0;
    int overQuota = 0;
    for (int i = 0; i < n; i++) {
      ModelRoute d = all.get(i);
      String id = d.deploymentId();
      if (policy != null && !policy.allows(model, id)) {
        skipped = add(skipped, id, policyReason(policy, model));
        continue;
      }
      CircuitPhase phase = circuits.phase(id);
      if (phase == CircuitPhase.OPEN) {
        skipped = add(skipped, id, openReason(id));
        continue;
      }
      int tier = (isLocal(d) ? 0 : REMOTE) | (phase == CircuitPhase.HALF_OPEN ? HALF_OPEN : 0);
      if (!quotas.hasRoom(d, tokens)) {
        tier |= OVER_QUOTA;
        overQuota++;
      }
      routes[count] = d;
      tiers[count] = tier;
      count++;
    }
    if (overQuota > 0 && overQuota < count) {
      int kept = 0;
      for (int i = 0; i < count; i++) {
        if ((tiers[i] & OVER_QUOTA) != 0) {
          skipped = add(skipped, routes[i].deploymentId(), "provider TPM share used up this minute");
        } else {
          routes[kept] = routes[i];
          tiers[kept] = tiers[i];
          kept++;
        }
      }
      count = kept;
    }
    double[] primary = new double[count];
    double[] secondary = new double[count];
    if (count > 1) {
      keys(strategy, request, routes, tiers, count, primary, secondary);
      sort(routes, tiers, primary, secondary, count);
    } else if (count == 1 && strategy == RoutingStrategy.LEAST_LATENCY) {
      primary[0] = latencyKey(routes[0], request.streaming());
    }
    ModelRoute[] ordered = routes.length == count ? routes : Arrays.copyOf(routes, count);
    int[] orderedTiers = tiers.length == count ? tiers : Arrays.copyOf(tiers, count);
    return new RoutingDecision(model, strategy, List.of(ordered),
        skipped == null ? List.of() : skipped,
        new CandidateReasons(strategy, request, nodeRegion, ordered, orderedTiers, primary));
  }

  private boolean isLocal(ModelRoute d) {
    return nodeRegion.isEmpty() || d.localTo(nodeRegion);
  }

  /** Sort keys within a tier: {@code primary} first, then {@code secondary}, then the group's order. */
  private void keys(RoutingStrategy strategy, RoutingRequest request, ModelRoute[] routes, int[] tiers, int count,
      double[] primary, double[] secondary) {
    switch (strategy) {
      case PRIORITY -> {
        for (int i = 0; i < count; i++) {
          primary[i] = routes[i].priority();
        }
        if (hasEqualPriorities(routes, tiers, count)) {
          RandomGenerator r = random.get();
          for (int i = 0; i < count; i++) {
            secondary[i] = race(r, routes[i].weight());
          }
        }
      }
      case WEIGHTED -> {
        RandomGenerator r = count > 1 ? random.get() : null;
        for (int i = 0; i < count; i++) {
          primary[i] = r == null ? 0 : race(r, routes[i].weight());
          secondary[i] = routes[i].priority();
        }
      }
      case LEAST_LATENCY -> {
        for (int i = 0; i < count; i++) {
          primary[i] = latencyKey(routes[i], request.streaming());
          secondary[i] = routes[i].priority();
        }
      }
      case LOWEST_COST -> {
        // Price.costMicros of CandidateReasons.estimate, without its zero cache terms: half the allocation.
        BigDecimal in = BigDecimal.valueOf(Math.max(0, request.inputTokens()));
        BigDecimal out = BigDecimal.valueOf(Math.max(0, request.maxOutputTokens()));
        for (int i = 0; i < count; i++) {
          Price p = routes[i].price();
          primary[i] = p.inputPerMillion().multiply(in).add(p.outputPerMillion().multiply(out))
              .setScale(0, RoundingMode.HALF_UP).longValue();
          secondary[i] = routes[i].priority();
        }
      }
    }
  }

  /** The moving average the strategy compares; -1 while unmeasured, so that it goes first and gets measured. */
  private double latencyKey(ModelRoute d, boolean streaming) {
    double avg = latency.mean(d.deploymentId(), streaming);
    return Double.isNaN(avg) ? -1 : avg;
  }

  /**
   * A key for a weighted random order without replacement (an exponential race): ordering by
   * {@code -ln(U) / weight} puts each deployment first with probability weight / sum of weights, and
   * the rest follow as successive weighted draws would. A weight of 0 or less goes last.
   */
  private static double race(RandomGenerator r, int weight) {
    if (weight <= 0) {
      return Double.POSITIVE_INFINITY;
    }
    return -Math.log(1.0 - r.nextDouble()) / weight;
  }

  private static boolean hasEqualPriorities(ModelRoute[] routes, int[] tiers, int count) {
    for (int i = 0; i < count; i++) {
      for (int j = i + 1; j < count; j++) {
        if ((tiers[i] & ~HALF_OPEN) == (tiers[j] & ~HALF_OPEN) && routes[i].priority() == routes[j].priority()) {
          return true;
        }
      }
    }
    return false;
  }

  /** Insertion sort (groups are small) by tier, primary, secondary; stable, so ties keep the group's order. */
  private static void sort(ModelRoute[] routes, int[] tiers, double[] primary, double[] secondary, int count) {
    for (int i = 1; i < count; i++) {
      ModelRoute d = routes[i];
      int t = tiers[i];
      double p = primary[i];
      double s = secondary[i];
      int j = i - 1;
      while (j >= 0 && after(tiers[j], primary[j], secondary[j], t, p, s)) {
        routes[j + 1] = routes[j];
        tiers[j + 1] = tiers[j];
        primary[j + 1] = primary[j];
        secondary[j + 1] = secondary[j];
        j--;
      }
      routes[j + 1] = d;
      tiers[j + 1] = t;
      primary[j + 1] = p;
      secondary[j + 1] = s;
    }
  }

  /** Half-open does not move a deployment back: its probe permits alone limit how much it gets. */
  private static boolean after(int t1, double p1, double s1, int t2, double p2, double s2) {
    int o1 = t1 & ~HALF_OPEN;
    int o2 = t2 & ~HALF_OPEN;
    if (o1 != o2) {
      return o1 > o2;
    }
    int c = Double.compare(p1, p2);
    return c != 0 ? c > 0 : Double.compare(s1, s2) > 0;
  }

  private static String policyReason(TenantRouting policy, String model) {
    String pin = policy.pinned().get(model);
    return pin != null ? "pinned to " + pin : "not allowed by the tenant's policy";
  }

  private String openReason(String id) {
    Optional<Instant> until = circuits.openUntil(id);
    return until.map(t -> "circuit open until " + t).orElse("circuit open");
  }

  private static List<RoutingDecision.Skipped> add(List<RoutingDecision.Skipped> list, String id, String reason) {
    List<RoutingDecision.Skipped> l = list != null ? list : new ArrayList<>(4);
    l.add(new RoutingDecision.Skipped(id, reason));
    return l;
  }
}
