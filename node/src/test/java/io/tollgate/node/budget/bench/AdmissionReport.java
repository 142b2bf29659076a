package io.tollgate.node.budget.bench;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Renders the admission benchmark's results as markdown: per case, then with limits against without. */
final class AdmissionReport {
  static final String NO_LIMITS = "no limits";
  static final String WITH_LIMITS = "with limits";
  /** The target for the lease path: what it adds at p50. */
  static final double TARGET_ADDED_P50_MICROS = 50;

  private AdmissionReport() {}

  /** {@code notes}: markdown bullet lines describing the run (machine, settings, demand). */
  static String render(List<String> notes, List<CaseResult> results) {
    StringBuilder sb = new StringBuilder("# Admission benchmark: LeaseBook.admit + settle, in process\n\n");
    for (String n : notes) {
      sb.append("- ").append(n).append('\n');
    }
    sb.append("\nLatency of one call = admit (until the admission is available) + settle; µs unless noted. "
        + "\"waited for a lease\": calls whose admit did not complete at once (the key's lease did not cover them, "
        + "so they waited for the next one from the entity); their latencies are in the lease wait columns.\n\n");
    sb.append("| tenant | callers | calls | errors | waited for a lease | calls/s | CPU µs/call "
        + "| p50 | p90 | p99 | p99.9 | max | admit p50 | settle p50 | lease wait p50 ms | lease wait max ms |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (CaseResult r : results) {
      Percentiles t = r.total();
      sb.append(String.format(Locale.ROOT,
          "| %s | %d | %d | %d | %d | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f | %.2f | %.2f | %s | %s |%n",
          r.tenant(), r.callers(), r.calls(), r.errors(), r.waited(), r.callsPerSecond(), r.cpuMicrosPerCall(),
          t.p50(), t.p90(), t.p99(), t.p999(), t.max(), r.admit().p50(), r.settle().p50(),
          millis(r.waits().p50()), millis(r.waits().max())));
    }
    sb.append("\n| callers | p50 with/without | added p50 µs | added p90 µs | added p99 µs | calls/s with/without "
        + "| added p50 under 50 µs |\n");
    sb.append("|---:|---:|---:|---:|---:|---:|---|\n");
    Set<Integer> callers = new LinkedHashSet<>();
    results.forEach(r -> callers.add(r.callers()));
    for (int c : callers) {
      CaseResult without = find(results, NO_LIMITS, c);
      CaseResult with = find(results, WITH_LIMITS, c);
      if (without == null || with == null) {
        continue;
      }
      double added = with.total().p50() - without.total().p50();
      sb.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %.2f | %.2f | %.3f | %s |%n", c,
          ratio(with.total().p50(), without.total().p50()), added,
          with.total().p90() - without.total().p90(), with.total().p99() - without.total().p99(),
          ratio(with.callsPerSecond(), without.callsPerSecond()),
          added < TARGET_ADDED_P50_MICROS ? "yes" : "no"));
    }
    return sb.toString();
  }

  private static String millis(double micros) {
    return Double.isNaN(micros) ? "-" : String.format(Locale.ROOT, "%.1f", micros / 1000);
  }

  private static CaseResult find(List<CaseResult> results, String tenant, int callers) {
    return results.stream().filter(r -> r.tenant().equals(tenant) && r.callers() == callers).findFirst().orElse(null);
  }

  private static double ratio(double a, double b) {
    return b == 0 || Double.isNaN(b) ? Double.NaN : a / b;
  }
}
