package io.tollgate.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures what the gateway adds over calling the fake provider directly: three closed-loop
 * workloads, first against the fake provider, then against the gateway, each after a warm-up.
 * The whole run stays within {@code --seconds}; only loopback targets are accepted.
 *
 * <p>{@code --direct http://127.0.0.1:P --gateway http://127.0.0.1:Q --direct-key K1
 * --gateway-key K2 --seconds S --out FILE.md}
 */
public final class GatewayBenchmark {
  private GatewayBenchmark() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    BenchmarkArgs parsed;
    try {
      parsed = BenchmarkArgs.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("benchmark: " + e.getMessage());
      System.err.println("usage: GatewayBenchmark --direct URL --gateway URL --direct-key K --gateway-key K"
          + " [--seconds S] [--out FILE.md]");
      System.exit(2);
      return;
    }
    String report = run(parsed);
    System.out.print(report);
    Files.writeString(parsed.out(), report, StandardCharsets.UTF_8);
  }

  /** Runs every workload on both targets and returns the markdown report. */
  public static String run(BenchmarkArgs args) throws InterruptedException {
    // 2 warm-ups + 6 measured runs share the budget
    Duration slice = Duration.ofMillis((long) (args.seconds() * 1000 / 8));
    Duration warmupPerWorkload = slice.dividedBy(Workload.values().length);
    List<Target> targets = List.of(
        new Target("direct", chat(args.direct()), args.directKey(), "gpt-4o-mini"),
        new Target("gateway", chat(args.gateway()), args.gatewayKey(), "demo-openai"));
    List<RunResult> results = new ArrayList<>();
    try (LoadRunner runner = new LoadRunner(maxConnections())) {
      // warm both first, so the client's JIT is as warm for the direct runs as for the gateway's
      for (Target t : targets) {
        for (Workload w : Workload.values()) {
          runner.run(t, w, warmupPerWorkload);
        }
      }
      for (Target t : targets) {
        for (Workload w : Workload.values()) {
          results.add(runner.run(t, w, slice));
        }
      }
    }
    return MarkdownReport.render(args, results, slice.toMillis() / 1000.0, slice.toMillis() / 1000.0,
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  private static int maxConnections() {
    int max = 1;
    for (Workload w : Workload.values()) {
      max = Math.max(max, w.connections);
    }
    return max;
  }

  private static URI chat(URI base) {
    return URI.create(base + "/v1/chat/completions");
  }
}
