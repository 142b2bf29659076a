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
 */
public record BenchmarkArgs(URI direct, URI gateway, String directKey, String gatewayKey, double seconds, Path out) {
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

  public static BenchmarkArgs parse(String[] args) {
    String direct = null;
    String gateway = null;
    String directKey = null;
    String gatewayKey = null;
    String seconds = "30";
    String out = "BENCHMARKS.md";
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
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
      i++;
    }
    if (direct == null || gateway == null || directKey == null || gatewayKey == null) {
      throw new IllegalArgumentException("--direct, --gateway, --direct-key and --gateway-key are required");
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
    return new BenchmarkArgs(loopback("--direct", direct), loopback("--gateway", gateway), directKey, gatewayKey, s,
        Path.of(out));
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

  /** Keys are credentials: never printed. */
  @Override
  public String toString() {
    return "BenchmarkArgs[direct=" + direct + ", gateway=" + gateway + ", seconds=" + seconds + ", out=" + out + "]";
  }
}
