package io.tollgate.node.auth.bench;

import io.tollgate.node.auth.Authenticator;
import io.tollgate.node.auth.Caller;
import io.tollgate.persistence.registry.ApiKeys;
import io.tollgate.persistence.registry.InMemoryKeyDirectory;
import io.tollgate.persistence.registry.KeyDirectory;
import io.tollgate.persistence.registry.KeyInfo;
import io.tollgate.persistence.registry.KeyLookup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Single-threaded micro-benchmark of authentication with a warm key, for a small directory (1,000
 * keys) and a large one (1,000,000 keys over 10,000 tenants), all in the node's key cache:
 * <ul>
 *   <li>{@code cached}: {@link KeyDirectory#cached} of a random key's hash (the memory hit alone);
 *   <li>{@code authenticate}: {@link Authenticator#authenticate} of a request with a random key
 *       (header, shape check, SHA-256 of the secret, memory hit, the caller);
 *   <li>{@code old map}: the lookup of the directory this replaced, an immutable map of every key
 *       by hash, as the baseline of {@code cached}.
 * </ul>
 * Keys are picked uniformly from all keys, so the large directory pays its CPU cache misses.
 * Rounds alternate the three; each reports the median round.
 *
 * <p>A {@code main}, not a test: {@code load-tests/run-key-benchmark.sh} runs it.
 * {@code [--rounds N] [--ops N] [--sizes 1000,1000000] [--out FILE.md]}
 */
public final class KeyLookupBenchmark {
  private static final int REQUEST_POOL = 1 << 16;
  private static final int TENANTS_PER_MILLION = 10_000;
  private static long sink;

  private KeyLookupBenchmark() {}

  record Result(int keys, double cachedNanos, double authenticateNanos, double oldMapNanos, double heapBytesPerKey) {}

  public static void main(String[] args) throws IOException {
    int rounds = 11;
    int ops = 1_000_000;
    List<Integer> sizes = List.of(1_000, 1_000_000);
    Path out = Path.of("key-bench.md");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--ops" -> ops = Integer.parseInt(args[i + 1]);
        case "--sizes" -> sizes = Arrays.stream(args[i + 1].split(",")).map(String::trim).map(Integer::parseInt).toList();
        case "--out" -> out = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<Result> results = new ArrayList<>();
    for (int size : sizes) {
      results.add(measure(size, rounds, ops));
      System.gc();
    }
    String report = report(results, rounds, ops);
    Files.writeString(out, report, StandardCharsets.UTF_8);
    System.out.println(report);
  }

  private static Result measure(int size, int rounds, int ops) {
    long heapBefore = usedHeap();
    SplittableRandom random = new SplittableRandom(42);
    Map<String, KeyInfo> rows = new HashMap<>(size * 2);
    String[] secrets = new String[size];
    String[] hashes = new String[size];
    Instant now = Instant.now();
    int tenants = Math.max(1, (int) ((long) size * TENANTS_PER_MILLION / 1_000_000));
    for (int i = 0; i < size; i++) {
      secrets[i] = ApiKeys.newSecret();
      hashes[i] = ApiKeys.sha256Hex(secrets[i]);
      rows.put(hashes[i], new KeyInfo(ApiKeys.newKeyId(), "tenant-" + (i % tenants), "key " + i, hashes[i],
          List.of(), false, now, null));
    }
    KeyDirectory directory = InMemoryKeyDirectory.over(rows, size + size / 10);
    for (String hash : hashes) {
      directory.lookup(hash).toCompletableFuture().join(); // warm: every key read through once
    }
    Authenticator authenticator = new Authenticator(directory, 0); // every request hashes its key, as before the hash cache
    HttpRequest[] requests = new HttpRequest[REQUEST_POOL];
    for (int i = 0; i < REQUEST_POOL; i++) {
      requests[i] = HttpRequest.create("/v1/chat/completions")
          .addHeader(RawHeader.create("authorization", "Bearer " + secrets[random.nextInt(size)]));
    }
    Arrays.fill(secrets, null);
    rows.clear();
    // What stays: the directory, the hashes array (8 bytes a key) and the emptied map's table (about 8 more).
    long heapAfter = usedHeap();
    Map<String, KeyInfo> byHash = new HashMap<>(size * 2);
    for (String hash : hashes) {
      byHash.put(hash, directory.cached(hash).key());
    }
    Map<String, KeyInfo> oldMap = Map.copyOf(byHash);
    byHash = null;
    int[] picks = new int[ops];
    for (int i = 0; i < ops; i++) {
      picks[i] = random.nextInt(size);
    }
    // Warm-up rounds of each, then measured rounds.
    for (int r = 0; r < 3; r++) {
      cached(directory, hashes, picks);
      authenticate(authenticator, requests, ops);
      oldMap(oldMap, hashes, picks);
    }
    double[] cached = new double[rounds];
    double[] authenticate = new double[rounds];
    double[] old = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      cached[r] = cached(directory, hashes, picks);
      authenticate[r] = authenticate(authenticator, requests, ops);
      old[r] = oldMap(oldMap, hashes, picks);
    }
    double perKey = Math.max(0, heapAfter - heapBefore) / (double) size;
    return new Result(size, median(cached), median(authenticate), median(old), perKey);
  }

  private static double cached(KeyDirectory directory, String[] hashes, int[] picks) {
    long start = System.nanoTime();
    long found = 0;
    for (int pick : picks) {
      KeyLookup hit = directory.cached(hashes[pick]);
      if (hit != null && hit.active()) {
        found++;
      }
    }
    long elapsed = System.nanoTime() - start;
    check(found, picks.length);
    return elapsed / (double) picks.length;
  }

  private static double authenticate(Authenticator authenticator, HttpRequest[] requests, int ops) {
    long start = System.nanoTime();
    long found = 0;
    for (int i = 0; i < ops; i++) {
      Caller caller = authenticator.authenticate(requests[i & (REQUEST_POOL - 1)]).toCompletableFuture().getNow(null);
      if (caller != null) {
        found++;
      }
    }
    long elapsed = System.nanoTime() - start;
    check(found, ops);
    return elapsed / (double) ops;
  }

  private static double oldMap(Map<String, KeyInfo> map, String[] hashes, int[] picks) {
    long start = System.nanoTime();
    long found = 0;
    for (int pick : picks) {
      if (map.get(hashes[pick]) != null) {
        found++;
      }
    }
    long elapsed = System.nanoTime() - start;
    check(found, picks.length);
    return elapsed / (double) picks.length;
  }

  private static void check(long found, int expected) {
    if (found != expected) {
      throw new IllegalStateException("only " + found + " of " + expected + " lookups were memory hits");
    }
    sink += found;
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static String report(List<Result> results, int rounds, int ops) {
    StringBuilder sb = new StringBuilder();
    sb.append("| keys in the directory | `cached` ns/lookup | `authenticate` ns/request | old map ns/lookup | heap bytes/key |\n");
    sb.append("|---:|---:|---:|---:|---:|\n");
    for (Result r : results) {
      // Below 100,000 keys the heap difference is within the noise of a collection.
      String heap = r.keys() >= 100_000 ? String.format(Locale.ROOT, "%.0f", r.heapBytesPerKey()) : "-";
      sb.append(String.format(Locale.ROOT, "| %,d | %.1f | %.1f | %.1f | %s |%n", r.keys(), r.cachedNanos(),
          r.authenticateNanos(), r.oldMapNanos(), heap));
    }
    sb.append(String.format(Locale.ROOT, "%n- %d rounds of %,d lookups per case after 3 warm-up rounds; median round; "
        + "one thread; %s, %d processors (sink %d).%n", rounds, ops, System.getProperty("java.vm.name") + " "
        + System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), sink % 10));
    return sb.toString();
  }
}
