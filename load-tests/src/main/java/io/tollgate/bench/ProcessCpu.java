package io.tollgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time (user + system, all threads) of other processes on this machine, read from
 * {@code /proc/<pid>/stat} (Linux): lets the benchmark charge the gateway's and its Cassandra's CPU
 * to the stretch of load that caused it. A name ending in {@value #JIT_SUFFIX} counts only that
 * JVM's JIT compiler threads ({@code /proc/<pid>/task/*}), the part of a short run's CPU that a
 * long-running node does not pay per call. Unreadable (another OS, process gone): -1.
 */
final class ProcessCpu {
  static final String JIT_SUFFIX = "-jit";
  private final List<String> names;
  private final long[] pids;
  private final long clockTicksPerSecond;

  private ProcessCpu(List<String> names, long[] pids, long clockTicksPerSecond) {
    this.names = List.copyOf(names);
    this.pids = pids;
    this.clockTicksPerSecond = clockTicksPerSecond;
  }

  static ProcessCpu none() {
    return new ProcessCpu(List.of(), new long[0], 100);
  }

  /** {@code spec}: {@code name=pid,name=pid}; {@code clockTicksPerSecond}: {@code getconf CLK_TCK}. */
  static ProcessCpu parse(String spec, long clockTicksPerSecond) {
    if (spec == null || spec.isBlank()) {
      return none();
    }
    List<String> names = new ArrayList<>();
    List<Long> pids = new ArrayList<>();
    for (String part : spec.split(",")) {
      String[] kv = part.split("=", 2);
      if (kv.length != 2 || kv[0].isBlank()) {
        throw new IllegalArgumentException("--cpu takes name=pid,name=pid");
      }
      try {
        pids.add(Long.parseLong(kv[1].trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--cpu takes name=pid,name=pid");
      }
      names.add(kv[0].trim());
    }
    if (clockTicksPerSecond < 1) {
      throw new IllegalArgumentException("--clk-tck must be positive");
    }
    return new ProcessCpu(names, pids.stream().mapToLong(Long::longValue).toArray(), clockTicksPerSecond);
  }

  List<String> names() {
    return names;
  }

  /** CPU milliseconds used so far by each process, in the order of {@link #names}; -1 when unreadable. */
  long[] millis() {
    long[] out = new long[pids.length];
    for (int i = 0; i < pids.length; i++) {
      out[i] = millisOf(i);
    }
    return out;
  }

  private long millisOf(int i) {
    return names.get(i).endsWith(JIT_SUFFIX) ? jitMillisOf(pids[i]) : millisOf(Path.of("/proc", Long.toString(pids[i]), "stat"));
  }

  private long millisOf(Path statFile) {
    try {
      String stat = Files.readString(statFile);
      // after the command name in parentheses: state is field 3; utime and stime are fields 14 and 15
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / clockTicksPerSecond;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * CPU of the JVM's live C1 and C2 compiler threads. HotSpot starts and ends extra compiler
   * threads as its queue grows and shrinks; one that ended takes its time with it, so a stretch
   * can undercount (never overcount) the JIT's share.
   */
  private long jitMillisOf(long pid) {
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      long total = 0;
      for (Path task : tasks.toList()) {
        total += Math.max(0, compilerMillisOf(task));
      }
      return total;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The thread's CPU if it is a compiler thread, else 0 (also when it ended while being read). */
  private long compilerMillisOf(Path task) {
    try {
      String name = Files.readString(task.resolve("comm")).strip();
      return name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? millisOf(task.resolve("stat")) : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Resident memory (VmRSS) of each process in KiB, in the order of {@link #names}; -1 when unreadable or a JIT entry. */
  long[] residentKiB() {
    long[] out = new long[pids.length];
    for (int i = 0; i < pids.length; i++) {
      out[i] = names.get(i).endsWith(JIT_SUFFIX) ? -1 : residentKiBOf(pids[i]);
    }
    return out;
  }

  private static long residentKiBOf(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Per process: CPU used between two readings, or -1 when either is unreadable. */
  static long[] delta(long[] before, long[] after) {
    long[] d = new long[before.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = before[i] < 0 || after[i] < 0 ? -1 : after[i] - before[i];
    }
    return d;
  }
}
