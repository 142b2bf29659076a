package io.tollgate.node.budget.bench;

import io.tollgate.node.budget.Admission;
import io.tollgate.node.budget.LeaseBook;
import io.tollgate.node.budget.LeaseBookSettings;
import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.budget.FailMode;
import io.tollgate.persistence.budget.Limit;
import io.tollgate.persistence.budget.LimitKind;
import io.tollgate.persistence.budget.Period;
import io.tollgate.persistence.budget.TenantBudget;
import io.tollgate.persistence.budget.TenantLimits;
import io.tollgate.persistence.schema.PersistenceSchema;
import io.tollgate.persistence.testing.TestCassandra;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * In-process micro-benchmark of the node's admission hot path: {@link LeaseBook#admit} followed by
 * {@link LeaseBook#settle}, no HTTP. Starts a single-node cluster on Cassandra (the test
 * Cassandra: embedded, or {@code TOLLGATE_CASSANDRA}), the real {@link TenantBudget} entity and a
 * {@link LeaseBook} with the node's settings, then times admit + settle for a key of a tenant with
 * limits (never refusing: every call is admitted from a lease, settled into it, leases refilled)
 * against a key of a tenant without limits, at 1 and 64 concurrent callers on a fixed pool.
 *
 * <p>A {@code main}, not a test: {@code load-tests/run-admission-benchmark.sh} runs it.
 * {@code [--iterations N] [--warmup N] [--callers 1,64] [--out FILE.md]}
 */
public final class AdmissionBenchmark {
  /** Worst case of a call: 500 prompt tokens + 1024 max output at 2.50/10.00 USD per 1M tokens. */
  static final Demand WORST_CASE = new Demand(500 * 25 / 10 + 1024 * 10, 1524, 1);
  /** What such a call used: 500 in, 300 out. */
  static final Demand ACTUAL = new Demand(500 * 25 / 10 + 300 * 10, 800, 1);
  private static final Duration ASK = Duration.ofSeconds(30);
  private static final String KEY = "key-bench";

  private AdmissionBenchmark() {}

  public static void main(String[] args) throws Exception {
    int iterations = 400_000;
    int warmup = 200_000;
    int[] callers = {1, 64};
    Path out = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--iterations" -> iterations = Integer.parseInt(args[i + 1]);
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
        case "--callers" -> callers = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--out" -> out = Path.of(args[i + 1]);
        default -> {
          System.err.println("usage: AdmissionBenchmark [--iterations N] [--warmup N] [--callers 1,64] [--out F]");
          System.exit(2);
        }
      }
    }
    int exit = 1;
    String report = null;
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "AdmissionBenchmark",
        TestCassandra.config("pekko.loglevel = WARNING"));
    try {
      report = run(system, iterations, warmup, callers);
      exit = 0;
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    System.out.print(report);
    if (out != null) {
      Files.writeString(out, report, StandardCharsets.UTF_8);
    }
    // The test Cassandra stops in a shutdown hook.
    System.exit(exit);
  }

  private static String run(ActorSystem<Void> system, int iterations, int warmup, int[] callers) throws Exception {
    PersistenceSchema.ensure(system).toCompletableFuture().get(180, TimeUnit.SECONDS);
    joinSelf(system);
    TenantBudget.init(system);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String limited = "bench-limits-" + suffix;
    String open = "bench-no-limits-" + suffix;
    setLimits(system, limited);
    LeaseBookSettings settings = LeaseBookSettings.from(system.settings().config());
    LeaseBook book = LeaseBook.create(system, settings);
    int maxCallers = Arrays.stream(callers).max().orElse(1);
    ExecutorService pool = Executors.newFixedThreadPool(maxCallers, r -> {
      Thread t = new Thread(r, "bench-caller");
      t.setDaemon(true);
      return t;
    });
    try {
      AdmissionLoop loop = new AdmissionLoop(book, pool, WORST_CASE, ACTUAL);
      firstAdmission(book, limited);
      firstAdmission(book, open);
      log("warming up (%d calls per case)", warmup);
      for (int c : callers) {
        loop.run(open, KEY, c, warmup);
        loop.run(limited, KEY, c, warmup);
      }
      List<CaseResult> results = new ArrayList<>();
      for (int c : callers) {
        log("measuring %d caller(s), %d calls per tenant", c, iterations);
        int half = Math.max(c, iterations / 2);
        AdmissionLoop.Stretch without = new AdmissionLoop.Stretch(2 * half);
        AdmissionLoop.Stretch with = new AdmissionLoop.Stretch(2 * half);
        // A B B A: a drift of the machine's load weighs on both alike.
        without.addAll(loop.run(open, KEY, c, half));
        with.addAll(loop.run(limited, KEY, c, half));
        with.addAll(loop.run(limited, KEY, c, half));
        without.addAll(loop.run(open, KEY, c, half));
        results.add(without.result(AdmissionReport.NO_LIMITS, c));
        results.add(with.result(AdmissionReport.WITH_LIMITS, c));
      }
      log("timing entity round trips");
      List<String> notes = new ArrayList<>(notes(settings, iterations, warmup));
      notes.add(entityRoundTrips(system, limited));
      return AdmissionReport.render(notes, results);
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<String> notes(LeaseBookSettings s, int iterations, int warmup) {
    String cassandra = System.getenv("TOLLGATE_CASSANDRA") == null || System.getenv("TOLLGATE_CASSANDRA").isBlank()
        ? "embedded (test Cassandra, 256 MB heap)" : "external";
    return List.of(
        "date: " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "; Java " + System.getProperty("java.version")
            + "; " + Runtime.getRuntime().availableProcessors() + " cores; Cassandra " + cassandra,
        "`" + AdmissionReport.WITH_LIMITS + "`: tenant-level USD daily 100,000,000.00, 10^9 requests/min, "
            + "10^12 tokens/min (never refused; leases sized by the key's spend rate, settled and refilled); `"
            + AdmissionReport.NO_LIMITS + "`: a tenant without any limit",
        String.format(Locale.ROOT, "per call: worst case %d µ$ / %d tokens / 1 request admitted, settled with "
            + "%d µ$ / %d tokens; one key per tenant shared by all callers", WORST_CASE.usdMicros(),
            WORST_CASE.tokens(), ACTUAL.usdMicros(), ACTUAL.tokens()),
        String.format(Locale.ROOT, "%d calls per tenant and callers count after %d warm-up calls, in halves "
            + "alternated (no limits, with limits, with limits, no limits); callers on a fixed pool", iterations,
            warmup),
        "LeaseBook settings: ask-timeout " + s.askTimeout().toMillis() + " ms, settle-interval "
            + s.settleInterval().toMillis() + " ms, idle-return " + s.idleReturn().toSeconds() + " s, want-seconds "
            + s.wantSeconds());
  }

  /**
   * What a lease request costs at least: sequential asks to the tenant's entity, one that reads
   * ({@code GetLimits}) and one that writes an event to Cassandra ({@code SetLimits}, same limits).
   */
  private static String entityRoundTrips(ActorSystem<?> system, String tenant) throws Exception {
    int n = 100;
    long[] reads = new long[n];
    long[] writes = new long[n];
    TenantLimits limits = null;
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      limits = AskPattern.<TenantBudget.Command, TenantLimits>askWithStatus(TenantBudget.ref(system, tenant),
              TenantBudget.GetLimits::new, ASK, system.scheduler())
          .toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
      reads[i] = System.nanoTime() - t0;
    }
    TenantLimits same = limits;
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      AskPattern.<TenantBudget.Command, TenantLimits>askWithStatus(TenantBudget.ref(system, tenant),
              reply -> new TenantBudget.SetLimits(same, reply), ASK, system.scheduler())
          .toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
      writes[i] = System.nanoTime() - t0;
    }
    Percentiles r = Percentiles.of(reads, n);
    Percentiles w = Percentiles.of(writes, n);
    return String.format(Locale.ROOT, "entity round trips afterwards (%d sequential asks each, ms): read (GetLimits) "
        + "p50 %.2f / p90 %.2f / max %.1f; one event written to Cassandra (SetLimits) p50 %.2f / p90 %.2f / max %.1f; "
        + "a lease refill waits for the settlements in flight on the old lease and (when nothing is in flight on "
        + "it) its closing settlement before the grant: one to three such writes one after the other", n,
        r.p50() / 1000, r.p90() / 1000, r.max() / 1000, w.p50() / 1000, w.p90() / 1000, w.max() / 1000);
  }

  private static void joinSelf(ActorSystem<?> system) throws InterruptedException {
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!cluster.selfMember().status().equals(MemberStatus.up())) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("the single-node cluster did not come up within 60 s");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // a main, not a test: a plain poll is fine
    }
  }

  private static void setLimits(ActorSystem<?> system, String tenant) throws Exception {
    TenantLimits limits = new TenantLimits("UTC", FailMode.CLOSED, 0, List.of(
        new Limit("tenant", LimitKind.USD, Period.DAILY, 100_000_000L * 1_000_000L),
        new Limit("tenant", LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, 1_000_000_000L),
        new Limit("tenant", LimitKind.TOKENS_PER_MINUTE, Period.MINUTE, 1_000_000_000_000L)));
    AskPattern.<TenantBudget.Command, TenantLimits>askWithStatus(TenantBudget.ref(system, tenant),
            reply -> new TenantBudget.SetLimits(limits, reply), ASK, system.scheduler())
        .toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
  }

  /** The first admission of a tenant waits for its entity to start (and Cassandra): retried for a minute. */
  private static void firstAdmission(LeaseBook book, String tenant) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        Admission a = book.admit(tenant, KEY, null, WORST_CASE).toCompletableFuture().get(30, TimeUnit.SECONDS);
        book.settle(a, ACTUAL);
        return;
      } catch (ExecutionException | TimeoutException e) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("no admission for " + tenant + " within 60 s", e);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
      }
    }
  }

  private static void log(String format, Object... args) {
    System.err.println("admission-bench: " + String.format(Locale.ROOT, format, args));
  }
}
