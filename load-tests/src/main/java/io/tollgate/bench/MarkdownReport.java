package io.tollgate.bench;

import java.util.List;
import java.util.Locale;

/** Renders benchmark results as markdown tables. */
final class MarkdownReport {
  private MarkdownReport() {}

  static String render(BenchmarkArgs args, List<RunResult> results, double runSeconds, double warmupSeconds,
      String date) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Gateway benchmark\n\n");
    sb.append("- date: ").append(date).append("; Java ").append(System.getProperty("java.version"))
        .append("; ").append(Runtime.getRuntime().availableProcessors()).append(" cores\n");
    sb.append("- direct: `").append(args.direct()).append("/v1/chat/completions` (model `gpt-4o-mini`); gateway: `")
        .append(args.gateway()).append("/v1/chat/completions` (model `demo-openai`)\n");
    sb.append(String.format(Locale.ROOT,
        "- each run: %.1f s after a %.1f s warm-up per target; closed loop; the fake answers at once with one "
            + "chunk (`[[fake:chunks=1]]`); client: java.net.http, HTTP/1.1\n", runSeconds, warmupSeconds));
    sb.append("- latency: whole answer for non-streaming, time to first body byte for streaming; ms\n\n");
    sb.append("| workload | target | requests | errors | req/s | p50 ms | p90 ms | p99 ms |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (RunResult r : results) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.1f | %.3f | %.3f | %.3f |%n",
          r.workload().title, r.target(), r.requests(), r.errors(), r.requestsPerSecond(),
          r.p50Millis(), r.p90Millis(), r.p99Millis()));
    }
    sb.append("\n| workload | req/s gateway/direct | p50 gateway/direct | p99 gateway/direct | added p50 ms |\n");
    sb.append("|---|---:|---:|---:|---:|\n");
    for (Workload w : Workload.values()) {
      RunResult d = find(results, w, "direct");
      RunResult g = find(results, w, "gateway");
      if (d == null || g == null) {
        continue;
      }
      sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f |%n", w.title,
          ratio(g.requestsPerSecond(), d.requestsPerSecond()), ratio(g.p50Millis(), d.p50Millis()),
          ratio(g.p99Millis(), d.p99Millis()), g.p50Millis() - d.p50Millis()));
    }
    return sb.toString();
  }

  private static RunResult find(List<RunResult> results, Workload w, String target) {
    return results.stream().filter(r -> r.workload() == w && r.target().equals(target)).findFirst().orElse(null);
  }

  private static double ratio(double a, double b) {
    return b == 0 || Double.isNaN(b) ? Double.NaN : a / b;
  }
}
