package io.tollgate.persistence.audit;

import io.tollgate.persistence.testing.TestCassandra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Cassandra CPU per call of the audit writes, on the test Cassandra (a {@code main}, not a JUnit
 * test): today's path (one audit insert per call) against the durable path (an admission row in
 * calls_by_lease, then the final record and the row's final columns through the group commit, in
 * both modes). Phases alternate A B C C B A; each runs {@code calls} calls, {@code inFlight} at a
 * time, over 8 tenants with 4 leases each. CPU is Cassandra's utime + stime from /proc/pid/stat.
 *
 * <p>{@code java -cp <persistence test classpath> io.tollgate.persistence.audit.AuditWriteBenchmark [calls] [inFlight]}
 */
public final class AuditWriteBenchmark {
  private static final long TICKS_PER_SECOND = 100;

  private AuditWriteBenchmark() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "audit-bench",
        TestCassandra.config("tollgate.cassandra.keyspace = tollgate_bench"));
    try {
      AuditSettings settings = AuditSettings.from(system.settings().config());
      AuditStore batch = AuditStore.create(system, settings);
      AuditStore concurrent = AuditStore.create(system, withMode(settings, GroupCommitSettings.Mode.CONCURRENT));
      batch.ready().toCompletableFuture().get(120, TimeUnit.SECONDS);
      concurrent.ready().toCompletableFuture().get(120, TimeUnit.SECONDS);
      long pid = cassandraPid();
      List<Phase> phases = List.of(
          new Phase("today: one audit insert per call", batch, (s) -> r -> s.write(r.record())),
          new Phase("durable, group commit: batch", batch, AuditWriteBenchmark::durable),
          new Phase("durable, group commit: concurrent", concurrent, AuditWriteBenchmark::durable));
      phases.forEach(p -> run(p, calls / 5, inFlight, pid)); // warm-up
      int[] order = {0, 1, 2, 2, 1, 0};
      long[] ticks = new long[3];
      long[] nanos = new long[3];
      for (int i : order) {
        long[] r = run(phases.get(i), calls, inFlight, pid);
        ticks[i] += r[0];
        nanos[i] += r[1];
      }
      System.out.printf("%d calls per phase and run, %d in flight, each phase run twice (A B C C B A)%n", calls, inFlight);
      System.out.println("| path | Cassandra CPU µs / call | calls/s |");
      System.out.println("|---|---:|---:|");
      for (int i = 0; i < 3; i++) {
        double cpuMicros = ticks[i] * 1_000_000.0 / TICKS_PER_SECOND / (2.0 * calls);
        double rate = 2.0 * calls / (nanos[i] / 1e9);
        System.out.printf("| %s | %.0f | %.0f |%n", phases.get(i).name(), cpuMicros, rate);
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private record Call(CallAdmission admission, AuditRecord record) {}

  private record Phase(String name, AuditStore store, Function<AuditStore, Function<Call, CompletionStage<Done>>> path) {}

  private static Function<Call, CompletionStage<Done>> durable(AuditStore s) {
    return c -> s.admit(c.admission()).thenCompose(d -> s.writeFinal(c.record()));
  }

  private static long[] run(Phase phase, int calls, int inFlight, long pid) {
    Function<Call, CompletionStage<Done>> path = phase.path().apply(phase.store());
    String run = UUID.randomUUID().toString().substring(0, 8);
    AtomicInteger next = new AtomicInteger();
    long cpu0 = cpuTicks(pid);
    long t0 = System.nanoTime();
    List<CompletableFuture<Done>> workers = new ArrayList<>();
    for (int w = 0; w < inFlight; w++) {
      workers.add(worker(path, run, next, calls));
    }
    CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
    return new long[] {cpuTicks(pid) - cpu0, System.nanoTime() - t0};
  }

  private static CompletableFuture<Done> worker(
      Function<Call, CompletionStage<Done>> path, String run, AtomicInteger next, int calls) {
    int i = next.getAndIncrement();
    if (i >= calls) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    return path.apply(call(run, i)).toCompletableFuture().thenCompose(d -> worker(path, run, next, calls));
  }

  private static Call call(String run, int i) {
    String tenant = "bench-" + run + "-" + (i % 8);
    String lease = "lease-" + (i % 32);
    Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String requestId = run + "-" + i;
    CallAdmission a = new CallAdmission(tenant, lease, requestId, time, "key_bench", null, "openai", "demo-openai",
        11_490, 1_524);
    AuditRecord r = new AuditRecord(requestId, time, tenant, "key_bench", "openai", "demo-openai", "fake-openai",
        "gpt-4o-mini", 724, 76, 0, 0, false, 4_250, 12, -1, 200, null, false, null, lease, "d1", "global", 1);
    return new Call(a, r);
  }

  private static AuditSettings withMode(AuditSettings s, GroupCommitSettings.Mode mode) {
    return new AuditSettings(s.sessionConfigPath(), s.keyspace(), s.replicationFactor(), s.createSchema(),
        s.consistency(), s.writeAttempts(), s.minBackoff(), s.maxBackoff(), s.queueSize(), s.writeParallelism(),
        s.admissionTimeout(), withMode(s.admissionCommit(), mode), withMode(s.groupCommit(), mode));
  }

  private static GroupCommitSettings withMode(GroupCommitSettings g, GroupCommitSettings.Mode mode) {
    return new GroupCommitSettings(g.maxRecords(), g.interval(), g.parallelism(), mode, g.maxPending(),
        g.maxAttempts(), g.minBackoff(), g.maxBackoff());
  }

  /** The pid the test Cassandra's launcher wrote into its data folder (see TestCassandra). */
  private static long cassandraPid() throws java.io.IOException {
    Path pidFile = Path.of("target", "test-cassandra-" + ProcessHandle.current().pid(), "cassandra.pid");
    return Long.parseLong(Files.readString(pidFile).trim());
  }

  private static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
