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
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Cassandra CPU per call of the audit writes, on the test Cassandra (a {@code main}, not a JUnit
 * test): the durable path (an admission row in calls_by_lease, then through the group commit in
 * batch mode the final record and the row's final columns, as for a call whose row is not known
 * written), the same with the final record alone (a call whose admission row was written, the
 * node's usual case), a single audit insert per call as the floor, and the second with larger groups
 * (fewer admission writes in flight, final records gathered for 20 ms). Phases alternate
 * A B C D D C B A; each offers {@code rate} calls per second for
 * {@code seconds} (open loop, as a node does: the final write is not awaited by the client) over 8
 * tenants with 4 leases each, then waits for every write. CPU is Cassandra's utime + stime from
 * /proc/pid/stat over the phase, divided by its calls.
 *
 * <p>{@code java -cp <persistence test classpath> io.tollgate.persistence.audit.AuditWriteBenchmark [rate] [seconds]}
 */
public final class AuditWriteBenchmark {
  private static final long TICKS_PER_SECOND = 100;

  private AuditWriteBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "audit-bench",
        TestCassandra.config("tollgate.cassandra.keyspace = tollgate_bench"));
    try {
      AuditSettings settings = AuditSettings.from(system.settings().config());
      AuditStore batch = AuditStore.create(system, settings);
      // larger groups: fewer admission writes in flight, final records gathered for longer
      AuditStore grouped = AuditStore.create(system, withCommits(settings, 2, java.time.Duration.ofMillis(20), 2));
      batch.ready().toCompletableFuture().get(120, TimeUnit.SECONDS);
      grouped.ready().toCompletableFuture().get(120, TimeUnit.SECONDS);
      long pid = cassandraPid();
      List<Phase> phases = List.of(
          new Phase("durable: admission row, then record + row's final columns", batch, s -> durable(s, false)),
          new Phase("durable: admission row, then record alone", batch, s -> durable(s, true)),
          new Phase("one audit insert per call (no lease)", batch, (s) -> r -> s.write(r.record())),
          new Phase("record alone; admission parallelism 2, final groups 20 ms x 2", grouped, s -> durable(s, true)));
      phases.forEach(p -> run(p, rate, Math.max(1, seconds / 4), pid)); // warm-up
      int[] order = {0, 1, 2, 3, 3, 2, 1, 0};
      long[] ticks = new long[phases.size()];
      long[] calls = new long[phases.size()];
      for (int i : order) {
        long[] r = run(phases.get(i), rate, seconds, pid);
        ticks[i] += r[0];
        calls[i] += r[1];
      }
      // Cassandra's own background work (compaction, gossip, timers) over the same time, without calls.
      long idle = idleTicks(pid, seconds) + idleTicks(pid, seconds);
      System.out.printf("%d calls/s offered for %d s per phase and run, each phase run twice (A B C D D C B A);"
          + " idle Cassandra: %.0f ms CPU/s%n", rate, seconds, idle * 1000.0 / TICKS_PER_SECOND / (2.0 * seconds));
      System.out.println("| path | calls | Cassandra CPU µs / call | minus idle |");
      System.out.println("|---|---:|---:|---:|");
      for (int i = 0; i < phases.size(); i++) {
        double cpuMicros = ticks[i] * 1_000_000.0 / TICKS_PER_SECOND / calls[i];
        double marginal = (ticks[i] - idle) * 1_000_000.0 / TICKS_PER_SECOND / calls[i];
        System.out.printf("| %s | %d | %.0f | %.0f |%n", phases.get(i).name(), calls[i], cpuMicros, marginal);
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private record Call(CallAdmission admission, AuditRecord record) {}

  private record Phase(String name, AuditStore store, Function<AuditStore, Function<Call, CompletionStage<Done>>> path) {}

  private static Function<Call, CompletionStage<Done>> durable(AuditStore s, boolean rowKnownWritten) {
    return c -> s.admit(c.admission()).thenCompose(d -> s.writeFinal(c.record(), rowKnownWritten));
  }

  /**
   * Offers {@code rate} calls per second for {@code seconds} (open loop, like clients that do not
   * wait for the audit), then waits for every write; returns Cassandra's CPU ticks and the calls.
   */
  private static long[] run(Phase phase, int rate, int seconds, long pid) {
    Function<Call, CompletionStage<Done>> path = phase.path().apply(phase.store());
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<CompletableFuture<Done>> writes = new ArrayList<>();
    long cpu0 = cpuTicks(pid);
    long start = System.nanoTime();
    int issued = 0;
    for (int tick = 1; tick <= seconds * 100; tick++) {
      long due = start + tick * 10_000_000L;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
      int target = (int) ((long) rate * tick / 100);
      for (; issued < target; issued++) {
        writes.add(path.apply(call(run, issued)).toCompletableFuture());
      }
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    return new long[] {cpuTicks(pid) - cpu0, issued};
  }

  private static long idleTicks(long pid, int seconds) {
    long cpu0 = cpuTicks(pid);
    java.util.concurrent.locks.LockSupport.parkNanos(seconds * 1_000_000_000L);
    return cpuTicks(pid) - cpu0;
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

  private static AuditSettings withCommits(AuditSettings s, int admissionParallelism, java.time.Duration finalInterval,
      int finalParallelism) {
    GroupCommitSettings a = s.admissionCommit();
    GroupCommitSettings g = s.groupCommit();
    return new AuditSettings(s.sessionConfigPath(), s.keyspace(), s.replicationFactor(), s.createSchema(),
        s.consistency(), s.writeAttempts(), s.minBackoff(), s.maxBackoff(), s.queueSize(), s.writeParallelism(),
        s.admissionTimeout(),
        new GroupCommitSettings(a.maxRecords(), a.interval(), admissionParallelism, a.mode(), a.maxPending(),
            a.maxAttempts(), a.minBackoff(), a.maxBackoff()),
        new GroupCommitSettings(g.maxRecords(), finalInterval, finalParallelism, g.mode(), g.maxPending(),
            g.maxAttempts(), g.minBackoff(), g.maxBackoff()));
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
