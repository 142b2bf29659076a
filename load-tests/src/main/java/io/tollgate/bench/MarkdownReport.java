package io.tollgate.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Renders benchmark results as markdown tables. */
final class MarkdownReport {
  private MarkdownReport() {}

  /**
   * @param gatewayWithLimits whether the gateway target used the key of a tenant with limits
   * @param targets the gateway-vs-direct targets' names in the order they ran: {@code direct},
   *     the peers, {@code gateway}
   */
  static String render(BenchmarkArgs args, boolean gatewayWithLimits, List<String> targets, List<RunResult> results,
      List<RunResult> budgetResults, double runSeconds, double warmupSeconds, String date) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Gateway benchmark\n\n");
    sb.append("- date: ").append(date).append("; Java ").append(System.getProperty("java.version"))
        .append("; ").append(Runtime.getRuntime().availableProcessors())
        .append(" core(s) available to the load generator\n");
    sb.append("- direct: `").append(args.direct()).append("/v1/chat/completions` (model `")
        .append(GatewayBenchmark.DIRECT_MODEL).append("`); gateway: `")
        .append(args.gateway()).append("/v1/chat/completions` (model `").append(GatewayBenchmark.GATEWAY_MODEL)
        .append("`)")
        .append(gatewayWithLimits ? ", key of tenant `" + BudgetTenants.WITH_LIMITS + "` (limits: every call takes the lease path)" : "")
        .append('\n');
    for (BenchmarkArgs.Peer p : args.peers()) {
      sb.append("- peer `").append(p.name()).append("`: `").append(p.base()).append("/v1/chat/completions` (model `")
          .append(GatewayBenchmark.DIRECT_MODEL).append("`, the direct key")
          .append(p.headers().isEmpty() ? "" : ", headers " + String.join(", ", p.headers().keySet().stream().sorted().toList()))
          .append(")\n");
    }
    sb.append(String.format(Locale.ROOT,
        "- each run: %.1f s after a %.1f s warm-up per workload and target; closed loop; the fake answers at once "
            + "with one chunk (`[[fake:chunks=1]]`); client: java.net.http, HTTP/1.1\n", runSeconds, warmupSeconds));
    if (args.gatewayWarmupSeconds() > 0) {
      sb.append(String.format(Locale.ROOT, "- before all that: the gateway alone for %.0f s at 16 connections (its JIT warm-up)%n",
          args.gatewayWarmupSeconds()));
    }
    sb.append("- latency: whole answer for non-streaming, time to first body byte for streaming; ms\n");
    if (!args.cpu().names().isEmpty()) {
      sb.append("- CPU µs/req: CPU time (user + system) of that process during the run, per successful request "
          + "(asynchronous work such as audit writes can spill into the next run); RSS MiB: its largest resident "
          + "memory at the end of a run\n");
    }
    sb.append('\n');
    resultTable(sb, args, results);
    sb.append("\n| workload | req/s gateway/direct | p50 gateway/direct | p99 gateway/direct | added p50 ms |\n");
    sb.append("|---|---:|---:|---:|---:|\n");
    for (Workload w : Workload.GATEWAY_VS_DIRECT) {
      RunResult d = find(results, w, "direct");
      RunResult g = find(results, w, "gateway");
      if (d == null || g == null) {
        continue;
      }
      sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f |%n", w.title,
          ratio(g.requestsPerSecond(), d.requestsPerSecond()), ratio(g.p50Millis(), d.p50Millis()),
          ratio(g.p99Millis(), d.p99Millis()), g.p50Millis() - d.p50Millis()));
    }
    if (targets.size() > 2) {
      renderSideBySide(sb, args, targets, results);
    }
    if (!budgetResults.isEmpty()) {
      renderBudgets(sb, args, budgetResults, runSeconds);
    }
    return sb.toString();
  }

  /**
   * Every target of each workload in one block: ratios against the direct calls and against the
   * gateway, and the CPU and memory of the target's own processes (a watched process named like a
   * peer is that peer's; the others, such as the node and its Cassandra, are the gateway's).
   */
  private static void renderSideBySide(StringBuilder sb, BenchmarkArgs args, List<String> targets,
      List<RunResult> results) {
    sb.append("\n## Side by side: the same workloads through each gateway\n\n");
    sb.append("| workload | target | req/s | req/s ÷ direct | gateway req/s ÷ this | added p50 ms | added p99 ms "
        + "| own CPU µs/req | own RSS MiB |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---|---|\n");
    for (Workload w : Workload.GATEWAY_VS_DIRECT) {
      RunResult d = find(results, w, "direct");
      RunResult g = find(results, w, "gateway");
      for (String t : targets) {
        RunResult r = find(results, w, t);
        if (r == null || d == null) {
          continue;
        }
        boolean direct = t.equals("direct");
        sb.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.3f | %s | %s | %s | %s | %s |%n", w.title, t,
            r.requestsPerSecond(), ratio(r.requestsPerSecond(), d.requestsPerSecond()),
            g == null ? "-" : String.format(Locale.ROOT, "%.3f", ratio(g.requestsPerSecond(), r.requestsPerSecond())),
            direct ? "-" : String.format(Locale.ROOT, "%.3f", r.p50Millis() - d.p50Millis()),
            direct ? "-" : String.format(Locale.ROOT, "%.3f", r.p99Millis() - d.p99Millis()),
            own(args, targets, t, r.cpuMicrosPerRequest(), "%.0f"), own(args, targets, t, r.residentMiB(), "%.0f")));
      }
    }
  }

  /**
   * The figures of the target's own watched processes, "node 120 + cassandra 80"; "-" when none. A
   * JIT entry ({@code node-jit}) is part of its process's figure, so it is left out here.
   */
  private static String own(BenchmarkArgs args, List<String> targets, String target, double[] values, String format) {
    List<String> names = args.cpu().names();
    List<String> parts = new java.util.ArrayList<>();
    for (int i = 0; i < names.size() && i < values.length; i++) {
      String n = names.get(i);
      boolean mine = target.equals("gateway") ? !targets.contains(n) : n.equals(target);
      if (mine && !target.equals("direct") && !n.endsWith(ProcessCpu.JIT_SUFFIX)) {
        parts.add((names.size() > 1 ? n + " " : "")
            + (Double.isNaN(values[i]) ? "?" : String.format(Locale.ROOT, format, values[i])));
      }
    }
    return parts.isEmpty() ? "-" : String.join(" + ", parts);
  }

  private static void renderBudgets(StringBuilder sb, BenchmarkArgs args, List<RunResult> results, double runSeconds) {
    sb.append("\n## Budgets: admission and settlement through the gateway\n\n");
    if (args.adminToken() != null) {
      sb.append("- `").append(GatewayBenchmark.NO_LIMITS).append("`: a key of tenant `").append(BudgetTenants.WITHOUT_LIMITS)
          .append("` (no limits: admitted without a lease); `").append(GatewayBenchmark.WITH_LIMITS)
          .append("`: a key of tenant `").append(BudgetTenants.WITH_LIMITS)
          .append("` (tenant-level USD daily 1,000,000.00, 10^9 requests/min, 10^12 tokens/min: never refused, "
              + "every request admitted from a lease and settled into it, leases refilled); both made through the "
              + "admin API\n");
    } else {
      sb.append("- `").append(GatewayBenchmark.NO_LIMITS).append("` and `").append(GatewayBenchmark.WITH_LIMITS)
          .append("`: the keys given on the command line\n");
    }
    int rounds = GatewayBenchmark.budgetRounds(Duration.ofMillis(Math.round(runSeconds * 1000)));
    sb.append(String.format(Locale.ROOT, "- each workload and key: %.1f s in %d stretches of %.2f s, alternated "
        + "(no limits, with limits, with limits, no limits; %d times), after a warm-up; model `%s`; ms unless noted%n%n",
        runSeconds, 2 * rounds, runSeconds / (2 * rounds), rounds, GatewayBenchmark.GATEWAY_MODEL));
    resultTable(sb, args, results.stream()
        .filter(r -> r.target().equals(GatewayBenchmark.NO_LIMITS) || r.target().equals(GatewayBenchmark.WITH_LIMITS))
        .toList());
    List<String> processes = args.cpu().names();
    sb.append("\n| workload | req/s with/without | p50 with/without | added p50 µs | added p90 µs | added p99 µs |");
    processes.forEach(p -> sb.append(" added ").append(p).append(" CPU µs/req |"));
    sb.append(" A/A p50 µs |");
    sb.append("\n|---|---:|---:|---:|---:|---:|").append("---:|".repeat(processes.size() + 1)).append('\n');
    for (Workload w : Workload.BUDGETS) {
      RunResult without = find(results, w, GatewayBenchmark.NO_LIMITS);
      RunResult with = find(results, w, GatewayBenchmark.WITH_LIMITS);
      if (without == null || with == null) {
        continue;
      }
      sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.0f | %.0f | %.0f |", w.title,
          ratio(with.requestsPerSecond(), without.requestsPerSecond()), ratio(with.p50Millis(), without.p50Millis()),
          (with.p50Millis() - without.p50Millis()) * 1000, (with.p90Millis() - without.p90Millis()) * 1000,
          (with.p99Millis() - without.p99Millis()) * 1000));
      for (int i = 0; i < processes.size(); i++) {
        double added = with.cpuMicrosPerRequest()[i] - without.cpuMicrosPerRequest()[i];
        sb.append(Double.isNaN(added) ? " - |" : String.format(Locale.ROOT, " %.0f |", added));
      }
      RunResult first = find(results, w, GatewayBenchmark.NO_LIMITS_FIRST);
      RunResult last = find(results, w, GatewayBenchmark.NO_LIMITS_LAST);
      sb.append(first == null || last == null ? " - |"
          : String.format(Locale.ROOT, " %.0f |", (last.p50Millis() - first.p50Millis()) * 1000));
      sb.append('\n');
    }
    sb.append("\nA/A p50: the no-limits key's last stretch of each round against its first (p50 of the last minus "
        + "p50 of the first): the same key, so any difference is noise; an added p50 within it is not resolved.\n");
  }

  private static void resultTable(StringBuilder sb, BenchmarkArgs args, List<RunResult> results) {
    List<String> processes = args.cpu().names();
    sb.append("| workload | target | requests | errors | req/s | p50 ms | p90 ms | p99 ms |");
    processes.forEach(p -> sb.append(' ').append(p).append(" CPU µs/req |"));
    processes.forEach(p -> sb.append(' ').append(p).append(" RSS MiB |"));
    sb.append("\n|---|---|---:|---:|---:|---:|---:|---:|").append("---:|".repeat(2 * processes.size())).append('\n');
    for (RunResult r : results) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.1f | %.3f | %.3f | %.3f |",
          r.workload().title, r.target(), r.requests(), r.errors(), r.requestsPerSecond(),
          r.p50Millis(), r.p90Millis(), r.p99Millis()));
      for (int i = 0; i < processes.size(); i++) {
        double cpu = i < r.cpuMicrosPerRequest().length ? r.cpuMicrosPerRequest()[i] : Double.NaN;
        sb.append(Double.isNaN(cpu) ? " - |" : String.format(Locale.ROOT, " %.0f |", cpu));
      }
      for (int i = 0; i < processes.size(); i++) {
        double rss = i < r.residentMiB().length ? r.residentMiB()[i] : Double.NaN;
        sb.append(Double.isNaN(rss) ? " - |" : String.format(Locale.ROOT, " %.0f |", rss));
      }
      sb.append('\n');
    }
  }

  private static RunResult find(List<RunResult> results, Workload w, String target) {
    return results.stream().filter(r -> r.workload() == w && r.target().equals(target)).findFirst().orElse(null);
  }

  private static double ratio(double a, double b) {
    return b == 0 || Double.isNaN(b) ? Double.NaN : a / b;
  }
}
