package io.tollgate.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Renders benchmark results as markdown tables. */
final class MarkdownReport {
  private MarkdownReport() {}

  static String render(BenchmarkArgs args, List<RunResult> results, List<RunResult> budgetResults,
      double runSeconds, double warmupSeconds, String date) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Gateway benchmark\n\n");
    sb.append("- date: ").append(date).append("; Java ").append(System.getProperty("java.version"))
        .append("; ").append(Runtime.getRuntime().availableProcessors()).append(" cores\n");
    sb.append("- direct: `").append(args.direct()).append("/v1/chat/completions` (model `")
        .append(GatewayBenchmark.DIRECT_MODEL).append("`); gateway: `")
        .append(args.gateway()).append("/v1/chat/completions` (model `").append(GatewayBenchmark.GATEWAY_MODEL)
        .append("`)\n");
    sb.append(String.format(Locale.ROOT,
        "- each run: %.1f s after a %.1f s warm-up per workload and target; closed loop; the fake answers at once "
            + "with one chunk (`[[fake:chunks=1]]`); client: java.net.http, HTTP/1.1\n", runSeconds, warmupSeconds));
    sb.append("- latency: whole answer for non-streaming, time to first body byte for streaming; ms\n");
    if (!args.cpu().names().isEmpty()) {
      sb.append("- CPU µs/req: CPU time (user + system) of that process during the run, per successful request "
          + "(asynchronous work such as audit writes can spill into the next run)\n");
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
    if (!budgetResults.isEmpty()) {
      renderBudgets(sb, args, budgetResults, runSeconds);
    }
    return sb.toString();
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
    sb.append("\n|---|---|---:|---:|---:|---:|---:|---:|").append("---:|".repeat(processes.size())).append('\n');
    for (RunResult r : results) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.1f | %.3f | %.3f | %.3f |",
          r.workload().title, r.target(), r.requests(), r.errors(), r.requestsPerSecond(),
          r.p50Millis(), r.p90Millis(), r.p99Millis()));
      for (int i = 0; i < processes.size(); i++) {
        double cpu = i < r.cpuMicrosPerRequest().length ? r.cpuMicrosPerRequest()[i] : Double.NaN;
        sb.append(Double.isNaN(cpu) ? " - |" : String.format(Locale.ROOT, " %.0f |", cpu));
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
