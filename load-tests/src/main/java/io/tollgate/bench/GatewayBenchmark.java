package io.tollgate.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures what the gateway adds over calling the fake provider directly, side by side with other
 * gateways in front of the same fake ({@code --peer}, e.g. nginx and Portkey): four closed-loop
 * workloads, each against the fake provider, every peer and the gateway in turn, after a warm-up.
 * With {@code --admin-token} (or two keys given) it then compares, through the gateway, a key of
 * a tenant with limits (every request admitted from a lease and settled into it) against a key of
 * a tenant without limits, at 1 and 64 connections. The measured runs stay within
 * {@code --seconds} (creating the budget tenants comes on top); only loopback targets are accepted.
 *
 * <p>{@code --direct http://127.0.0.1:P --gateway http://127.0.0.1:Q --direct-key K1
 * --gateway-key K2 [--admin-token T | --limits-key K3 --no-limits-key K4] [--cpu node=PID,cassandra=PID
 * --clk-tck 100] --seconds S --out FILE.md}; with {@code --cpu} every run also reports those
 * processes' CPU time per request.
 */
public final class GatewayBenchmark {
  static final String DIRECT_MODEL = "gpt-4o-mini";
  static final String GATEWAY_MODEL = "demo-openai";
  static final String NO_LIMITS = "no limits";
  static final String WITH_LIMITS = "with limits";
  /** The no-limits key's first and last stretches of each round, compared with each other. */
  static final String NO_LIMITS_FIRST = "no limits, first stretches";
  static final String NO_LIMITS_LAST = "no limits, last stretches";
  /** The budget part: one warm-up and four measured runs (two workloads, two keys). */
  private static final int BUDGET_SLICES = 5;
  private static final Duration KEYS_READY_WITHIN = Duration.ofSeconds(60);

  private GatewayBenchmark() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    BenchmarkArgs parsed;
    try {
      parsed = BenchmarkArgs.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("benchmark: " + e.getMessage());
      System.err.println("usage: GatewayBenchmark --direct URL --gateway URL --direct-key K --gateway-key K"
          + " [--admin-token T | --limits-key K --no-limits-key K] [--cpu name=PID,...] [--clk-tck N]"
          + " [--seconds S] [--out FILE.md]");
      System.exit(2);
      return;
    }
    String report = run(parsed);
    System.out.print(report);
    Files.writeString(parsed.out(), report, StandardCharsets.UTF_8);
  }

  /** Runs every workload on every target and returns the markdown report. */
  public static String run(BenchmarkArgs args) throws IOException, InterruptedException {
    BudgetTenants.Keys keys = budgetKeys(args);
    List<Target> targets = new ArrayList<>();
    targets.add(new Target("direct", chat(args.direct()), args.directKey(), DIRECT_MODEL));
    for (BenchmarkArgs.Peer p : args.peers()) {
      targets.add(new Target(p.name(), chat(p.base()), args.directKey(), DIRECT_MODEL, p.headers()));
    }
    // With budget keys the gateway is measured as the targets ask: a tenant with limits, so that
    // every call takes the lease path.
    targets.add(new Target("gateway", chat(args.gateway()), keys == null ? args.gatewayKey() : keys.withLimits(),
        GATEWAY_MODEL));
    // per target: a warm-up (one slice over all workloads) and one slice per workload
    int slices = targets.size() * (1 + Workload.GATEWAY_VS_DIRECT.size()) + (keys == null ? 0 : BUDGET_SLICES);
    Duration slice = Duration.ofMillis((long) (args.seconds() * 1000 / slices));
    Duration warmupPerWorkload = slice.dividedBy(Workload.GATEWAY_VS_DIRECT.size());
    List<RunResult> results = new ArrayList<>();
    List<RunResult> budgetResults = new ArrayList<>();
    try (LoadRunner runner = new LoadRunner(Workload.maxConnections(), args.cpu())) {
      if (args.gatewayWarmupSeconds() > 0) {
        runner.run(targets.get(targets.size() - 1), Workload.NON_STREAMING_16,
            Duration.ofMillis(Math.round(args.gatewayWarmupSeconds() * 1000)));
      }
      // warm all first, so the client's JIT is as warm for the direct runs as for the gateway's
      for (Target t : targets) {
        for (Workload w : Workload.GATEWAY_VS_DIRECT) {
          runner.run(t, w, warmupPerWorkload);
        }
      }
      // workload by workload, the targets one after the other: a burst of load from other work on
      // the machine then hits one workload's targets about alike
      for (Workload w : Workload.GATEWAY_VS_DIRECT) {
        for (Target t : targets) {
          results.add(runner.run(t, w, slice));
        }
      }
      if (keys != null) {
        budgetResults.addAll(compareBudgets(runner, args.gateway(), keys, slice));
      }
    }
    return MarkdownReport.render(args, keys != null, targets.stream().map(Target::name).toList(), results,
        budgetResults, slice.toMillis() / 1000.0,
        warmupPerWorkload.toMillis() / 1000.0, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  /**
   * Both keys per workload, alternated in short stretches in the order A B B A (A = no limits),
   * repeated: on a shared machine the load comes in bursts, and this way both keys see the same
   * mix of them.
   */
  private static List<RunResult> compareBudgets(LoadRunner runner, URI gateway, BudgetTenants.Keys keys,
      Duration slice) throws InterruptedException {
    Target without = new Target(NO_LIMITS, chat(gateway), keys.withoutLimits(), GATEWAY_MODEL);
    Target with = new Target(WITH_LIMITS, chat(gateway), keys.withLimits(), GATEWAY_MODEL);
    Duration warmup = slice.dividedBy(Workload.BUDGETS.size() * 2L);
    for (Workload w : Workload.BUDGETS) {
      runner.run(without, w, warmup);
      runner.run(with, w, warmup);
    }
    int rounds = budgetRounds(slice);
    Duration stretch = slice.dividedBy(2L * rounds);
    List<RunResult> out = new ArrayList<>();
    for (Workload w : Workload.BUDGETS) {
      Map<Target, List<Measurement>> parts = new LinkedHashMap<>();
      parts.put(without, new ArrayList<>());
      parts.put(with, new ArrayList<>());
      // The same key in the first and the last stretch of each round: their difference is the
      // method's noise floor (an A/A comparison).
      List<Measurement> firsts = new ArrayList<>();
      List<Measurement> lasts = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        List<Target> order = List.of(without, with, with, without);
        for (int i = 0; i < order.size(); i++) {
          Measurement m = runner.measure(order.get(i), w, stretch);
          parts.get(order.get(i)).add(m);
          if (i == 0) {
            firsts.add(m);
          } else if (i == order.size() - 1) {
            lasts.add(m);
          }
        }
      }
      parts.forEach((t, m) -> out.add(RunResult.of(w, t.name(), m)));
      out.add(RunResult.of(w, NO_LIMITS_FIRST, firsts));
      out.add(RunResult.of(w, NO_LIMITS_LAST, lasts));
    }
    return out;
  }

  /** Rounds of A B B A per workload: stretches of about a second each. */
  static int budgetRounds(Duration slice) {
    return (int) Math.max(1, Math.round(slice.toMillis() / 2000.0));
  }

  private static BudgetTenants.Keys budgetKeys(BenchmarkArgs args) throws IOException, InterruptedException {
    if (args.adminToken() != null) {
      return new BudgetTenants(args.gateway(), args.adminToken()).create(GATEWAY_MODEL, KEYS_READY_WITHIN);
    }
    if (args.limitsKey() != null) {
      return new BudgetTenants.Keys(args.limitsKey(), args.noLimitsKey());
    }
    return null;
  }

  private static URI chat(URI base) {
    return URI.create(base + "/v1/chat/completions");
  }
}
