package io.tollgate.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * @param gatewayWarmupSeconds an extra warm-up of the gateway alone (16 connections) before anything
 *     is measured, outside {@code seconds}: a JVM gateway's JIT needs far longer than the per-run
 *     warm-ups ({@code --gateway-warmup S}, default 0)
 * @param peers other gateways in front of the same provider, measured like the gateway with the
 *     direct key and model ({@code --peer nginx=URL}, repeatable; {@code --peer-header
 *     portkey=x-portkey-provider:openai} adds a header to that peer's requests)
 */
public record BenchmarkArgs(URI direct, URI gateway, String directKey, String gatewayKey, double seconds, Path out,
    String adminToken, String limitsKey, String noLimitsKey, ProcessCpu cpu, double gatewayWarmupSeconds,
    List<Peer> peers) {
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]");
  private static final Set<String> RESERVED_NAMES = Set.of("direct", "gateway");

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
    String gatewayWarmup = "0";
    Map<String, String> peerUrls = new LinkedHashMap<>();
    Map<String, Map<String, String>> peerHeaders = new LinkedHashMap<>();
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
        case "--gateway-warmup" -> gatewayWarmup = value;
        case "--peer" -> {
          String[] kv = nameAndValue("--peer", value, '=');
          peerUrls.put(kv[0], kv[1]);
        }
        case "--peer-header" -> {
          String[] kv = nameAndValue("--peer-header", value, '=');
          String[] header = nameAndValue("--peer-header", kv[1], ':');
          peerHeaders.computeIfAbsent(kv[0], k -> new LinkedHashMap<>()).put(header[0], header[1]);
        }
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
    double warmup;
    try {
      warmup = Double.parseDouble(gatewayWarmup);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--gateway-warmup must be a number");
    }
    if (warmup < 0 || warmup > 3600) {
      throw new IllegalArgumentException("--gateway-warmup must be between 0 and 3600");
    }
    for (String name : peerHeaders.keySet()) {
      if (!peerUrls.containsKey(name)) {
        throw new IllegalArgumentException("--peer-header names a peer without --peer: " + name);
      }
    }
    List<Peer> peers = new ArrayList<>();
    peerUrls.forEach((name, url) -> {
      if (RESERVED_NAMES.contains(name)) {
        throw new IllegalArgumentException("--peer: " + name + " is taken");
      }
      peers.add(new Peer(name, loopback("--peer " + name, url), peerHeaders.getOrDefault(name, Map.of())));
    });
    return new BenchmarkArgs(loopback("--direct", direct), loopback("--gateway", gateway), directKey, gatewayKey, s,
        Path.of(out), adminToken, limitsKey, noLimitsKey, ProcessCpu.parse(cpu, ticks), warmup, List.copyOf(peers));
  }

  /**
   * Another gateway in front of the same provider.
   *
   * @param name its name in the report
   * @param base its base URL (loopback only)
   * @param headers added to each of its requests (e.g. which provider to forward to)
   */
  public record Peer(String name, URI base, Map<String, String> headers) {
    public Peer {
      headers = Map.copyOf(headers);
    }
  }

  private static String[] nameAndValue(String option, String text, char separator) {
    int at = text.indexOf(separator);
    if (at <= 0 || at == text.length() - 1) {
      throw new IllegalArgumentException(option + " takes name" + separator + "value");
    }
    return new String[] {text.substring(0, at).trim(), text.substring(at + 1).trim()};
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
        + ", budgets=" + budgets() + ", peers=" + peers.stream().map(Peer::name).toList() + "]";
  }
}
