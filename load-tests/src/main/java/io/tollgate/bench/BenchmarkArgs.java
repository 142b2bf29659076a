package io.tollgate.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

/**
 * Command line of {@link GatewayBenchmark}.
 *
 * @param direct base URL of the fake provider (loopback only)
 * @param gateway base URL of the gateway (loopback only)
 * @param directKey the fake provider's key
 * @param gatewayKey a gateway key
 * @param seconds the whole run's time budget, warm-ups included
 * @param out where the markdown report goes
 * @param adminToken the gateway's admin token, or null: with it the benchmark creates a tenant with
 *     limits and one without (and a key of each) to compare admission against budgets
 * @param limitsKey instead of creating them: a key of a tenant with limits (or null)
 * @param noLimitsKey and a key of a tenant without limits (or null)
 * @param cpu processes whose CPU time each run is charged with ({@code --cpu node=PID,cassandra=PID},
 *     {@code --clk-tck N}); none by default
 */
public record BenchmarkArgs(URI direct, URI gateway, String directKey, String gatewayKey, double seconds, Path out,
    String adminToken, String limitsKey, String noLimitsKey, ProcessCpu cpu) {
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

  public static BenchmarkArgs parse(String[] args) {
    String direct = null;
    String gateway = null;
    String directKey = null;
    String gatewayKey = null;
    String seconds = "30";
    String out = "BENCHMARKS.md";
    String adminToken = null;
    String limitsKey = null;
    String noLimitsKey = null;
    String cpu = null;
    String clkTck = "100";
    for (int i = 0; i < args.length; i++) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + args[i]);
      }
      String value = args[i + 1];
      switch (args[i]) {
        case "--direct" -> direct = value;
        case "--gateway" -> gateway = value;
        case "--direct-key" -> directKey = value;
        case "--gateway-key" -> gatewayKey = value;
        case "--seconds" -> seconds = value;
        case "--out" -> out = value;
        case "--admin-token" -> adminToken = value;
        case "--limits-key" -> limitsKey = value;
        case "--no-limits-key" -> noLimitsKey = value;
        case "--cpu" -> cpu = value;
        case "--clk-tck" -> clkTck = value;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
      i++;
    }
    if (direct == null || gateway == null || directKey == null || gatewayKey == null) {
      throw new IllegalArgumentException("--direct, --gateway, --direct-key and --gateway-key are required");
    }
    if ((limitsKey == null) != (noLimitsKey == null)) {
      throw new IllegalArgumentException("--limits-key and --no-limits-key go together");
    }
    if (adminToken != null && limitsKey != null) {
      throw new IllegalArgumentException("--admin-token creates the budget keys: give it or the two keys, not both");
    }
    double s;
    try {
      s = Double.parseDouble(seconds);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--seconds must be a number");
    }
    if (s < 1 || s > 3600) {
      throw new IllegalArgumentException("--seconds must be between 1 and 3600");
    }
    long ticks;
    try {
      ticks = Long.parseLong(clkTck);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--clk-tck must be a number");
    }
    return new BenchmarkArgs(loopback("--direct", direct), loopback("--gateway", gateway), directKey, gatewayKey, s,
        Path.of(out), adminToken, limitsKey, noLimitsKey, ProcessCpu.parse(cpu, ticks));
  }

  /** Whether the run also compares a tenant with limits against one without. */
  public boolean budgets() {
    return adminToken != null || limitsKey != null;
  }

  private static URI loopback(String name, String url) {
    URI uri;
    try {
      uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " is not a URL");
    }
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null || !LOOPBACK.contains(uri.getHost())) {
      throw new IllegalArgumentException(name + " must be an http URL on the loopback interface");
    }
    return uri;
  }

  /** Keys and the admin token are credentials: never printed. */
  @Override
  public String toString() {
    return "BenchmarkArgs[direct=" + direct + ", gateway=" + gateway + ", seconds=" + seconds + ", out=" + out
        + ", budgets=" + budgets() + "]";
  }
}
