package io.tollgate.node.routing.bench;

import io.tollgate.node.catalog.ModelGroup;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.node.routing.CircuitPhases;
import io.tollgate.node.routing.LatencyBook;
import io.tollgate.node.routing.ProviderQuotas;
import io.tollgate.node.routing.Router;
import io.tollgate.node.routing.RoutingDecision;
import io.tollgate.node.routing.RoutingRequest;
import io.tollgate.node.routing.RoutingStrategy;
import io.tollgate.persistence.circuit.CircuitPhase;
import io.tollgate.persistence.tenantadmin.TenantRouting;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.Secret;
import io.tollgate.protocol.usage.Price;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Single-threaded micro-benchmark of one routing decision, {@link Router#route}, per strategy, for
 * a one-deployment group and a six-deployment group over two regions. Each case is measured against
 * a baseline in the same run and the same rounds: what serving a request took before the router (the
 * catalogue's map lookup and a copy of the deployment list), so the result reads as a ratio. Rounds
 * alternate the two (baseline first in even rounds, route first in odd ones) so a drift of the
 * machine weighs on both; each case reports the median round. Allocation per call comes from the
 * JVM's per-thread allocation counter.
 *
 * <p>A {@code main}, not a test: {@code load-tests/run-routing-benchmark.sh} runs it.
 * {@code [--rounds N] [--ops N] [--warmup-rounds N] [--out FILE.md]}
 */
public final class RoutingBenchmark {
  private static final String NODE_REGION = "eu";
  private static long sink;

  private RoutingBenchmark() {}

  record Case(String group, RoutingStrategy strategy, double routeNanos, double baselineNanos, double routeBytes,
      double baselineBytes) {}

  public static void main(String[] args) throws IOException {
    int rounds = 15;
    int ops = 200_000;
    int warmupRounds = 5;
    Path out = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--ops" -> ops = Integer.parseInt(args[i + 1]);
        case "--warmup-rounds" -> warmupRounds = Integer.parseInt(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        default -> {
          System.err.println("usage: RoutingBenchmark [--rounds N] [--ops N] [--warmup-rounds N] [--out FILE.md]");
          System.exit(2);
        }
      }
    }
    String report = run(rounds, ops, warmupRounds);
    System.out.print(report);
    if (out != null) {
      Files.writeString(out, report, StandardCharsets.UTF_8);
    }
  }

  private static String run(int rounds, int ops, int warmupRounds) {
    Map<String, CircuitPhase> phases = new ConcurrentHashMap<>();
    LatencyBook latency = new LatencyBook();
    ProviderQuotas quotas = new ProviderQuotas(() -> 3);
    Router router = new Router(NODE_REGION, id -> phases.getOrDefault(id, CircuitPhase.CLOSED), latency, quotas,
        ThreadLocalRandom::current);
    Map<String, ModelGroup> catalog = new HashMap<>();
    catalog.put("one", new ModelGroup("one", RoutingStrategy.PRIORITY, List.of(deployment("one", "solo", "", 1, 1, 0))));
    List<ModelRoute> six = new ArrayList<>();
    String[] regions = {"eu", "us"};
    for (int i = 0; i < 6; i++) {
      String region = regions[i % 2];
      ModelRoute d = deployment("six", region + "-" + i, region, 1 + i % 3, 1 + i / 2, i == 0 ? 1_000_000_000L : 0);
      six.add(d);
      phases.put(d.deploymentId(), CircuitPhase.CLOSED);
      latency.record(d.deploymentId(), 100 + 20L * i, 800 + 50L * i);
    }
    catalog.put("six", new ModelGroup("six", RoutingStrategy.PRIORITY, six));
    quotas.use(six.get(0).deploymentId(), 1_000);

    List<String> groups = List.of("one", "six");
    List<RoutingStrategy> strategies = List.of(RoutingStrategy.values());
    TenantRouting policy = TenantRouting.defaults("bench-tenant");
    log("warming up (%d rounds of %d calls per case)", warmupRounds, ops);
    for (int r = 0; r < warmupRounds; r++) {
      for (String g : groups) {
        for (RoutingStrategy s : strategies) {
          baseline(catalog, g, ops);
          route(router, catalog, g, request(s, policy), ops);
        }
      }
    }
    log("measuring (%d rounds of %d calls per case)", rounds, ops);
    List<Case> cases = new ArrayList<>();
    for (String g : groups) {
      for (RoutingStrategy s : strategies) {
        RoutingRequest request = request(s, policy);
        double[] routeNanos = new double[rounds];
        double[] baseNanos = new double[rounds];
        double[] routeBytes = new double[rounds];
        double[] baseBytes = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          if (r % 2 == 0) {
            measureBaseline(catalog, g, ops, baseNanos, baseBytes, r);
            measureRoute(router, catalog, g, request, ops, routeNanos, routeBytes, r);
          } else {
            measureRoute(router, catalog, g, request, ops, routeNanos, routeBytes, r);
            measureBaseline(catalog, g, ops, baseNanos, baseBytes, r);
          }
        }
        cases.add(new Case(g.equals("one") ? "1 deployment" : "6 deployments, 2 regions", s,
            median(routeNanos), median(baseNanos), median(routeBytes), median(baseBytes)));
      }
    }
    RoutingDecision sample = router.route(catalog.get("six"), request(RoutingStrategy.PRIORITY, policy));
    return render(rounds, ops, warmupRounds, cases, sample);
  }

  private static RoutingRequest request(RoutingStrategy s, TenantRouting policy) {
    return new RoutingRequest(s, true, 1_200, 800, policy);
  }

  private static void measureBaseline(Map<String, ModelGroup> catalog, String g, int ops, double[] nanos,
      double[] bytes, int r) {
    long a0 = allocated();
    long t0 = System.nanoTime();
    baseline(catalog, g, ops);
    nanos[r] = (System.nanoTime() - t0) / (double) ops;
    bytes[r] = (allocated() - a0) / (double) ops;
  }

  private static void measureRoute(Router router, Map<String, ModelGroup> catalog, String g, RoutingRequest request,
      int ops, double[] nanos, double[] bytes, int r) {
    long a0 = allocated();
    long t0 = System.nanoTime();
    route(router, catalog, g, request, ops);
    nanos[r] = (System.nanoTime() - t0) / (double) ops;
    bytes[r] = (allocated() - a0) / (double) ops;
  }

  /** Before the router: the catalogue's lookup and a copy of the deployments to try. */
  private static void baseline(Map<String, ModelGroup> catalog, String g, int ops) {
    long acc = 0;
    for (int i = 0; i < ops; i++) {
      Optional<ModelGroup> group = Optional.ofNullable(catalog.get(g));
      List<ModelRoute> candidates = new ArrayList<>(group.orElseThrow().deployments());
      acc += candidates.size() + candidates.get(0).priority();
    }
    sink += acc;
  }

  private static void route(Router router, Map<String, ModelGroup> catalog, String g, RoutingRequest request, int ops) {
    long acc = 0;
    for (int i = 0; i < ops; i++) {
      Optional<ModelGroup> group = Optional.ofNullable(catalog.get(g));
      RoutingDecision d = router.route(group.orElseThrow(), request);
      acc += d.candidates().size() + d.candidates().get(0).priority();
    }
    sink += acc;
  }

  private static ModelRoute deployment(String model, String id, String region, int weight, int priority, long tpm) {
    ProviderEndpoint endpoint = new ProviderEndpoint(
        "bench", BackendSchema.OPENAI, "http://localhost:1", Secret.of("bench"), null, null, Map.of());
    BigDecimal in = new BigDecimal("2.50").add(BigDecimal.valueOf(weight));
    Price price = new Price(in, new BigDecimal("10.00"), new BigDecimal("1.25"), in);
    return new ModelRoute(model, endpoint, "upstream-" + id, price, id, region, weight, priority, tpm);
  }

  private static String render(int rounds, int ops, int warmupRounds, List<Case> cases, RoutingDecision sample) {
    StringBuilder sb = new StringBuilder("# Routing benchmark: Router.route, in process\n\n");
    sb.append("- date: ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append("; Java ")
        .append(System.getProperty("java.version")).append("; ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores; one thread\n");
    sb.append(String.format(Locale.ROOT, "- %d rounds of %d calls per case after %d warm-up rounds; median round; "
        + "baseline and route alternate within each round%n", rounds, ops, warmupRounds));
    sb.append("- baseline: `HashMap.get` of the group + a copy of its deployment list (the cost of a lookup "
        + "before routing); route: the same lookup + `Router.route` (streaming request, 1,200 in / 800 max out "
        + "tokens, a tenant policy without restrictions, all circuits closed, latency averages recorded, one "
        + "deployment with a provider TPM limit)\n");
    sb.append("- six-deployment group: 3 in `eu` (the node's region), 3 in `us`; weights 1-3, priorities 1-3; "
        + "first decision (priority): ").append(String.join(" > ",
            sample.candidates().stream().map(ModelRoute::deploymentId).toList())).append('\n');
    sb.append("- reasons are formatted only when read (the dry run), so they are not in these numbers\n\n");
    sb.append("| group | strategy | route ns/call | baseline ns/call | route / baseline | added ns/call "
        + "| route bytes/call | baseline bytes/call |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (Case c : cases) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.0f | %.0f |%n", c.group(),
          c.strategy().wireName(), c.routeNanos(), c.baselineNanos(), c.routeNanos() / c.baselineNanos(),
          c.routeNanos() - c.baselineNanos(), c.routeBytes(), c.baselineBytes()));
    }
    sb.append(String.format(Locale.ROOT, "%n(checksum %d)%n", sink));
    return sb.toString();
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  private static void log(String format, Object... args) {
    System.err.println("routing-bench: " + String.format(Locale.ROOT, format, args));
  }
}
