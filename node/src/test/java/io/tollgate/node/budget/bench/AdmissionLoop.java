package io.tollgate.node.budget.bench;

import io.tollgate.node.budget.Admission;
import io.tollgate.node.budget.LeaseBook;
import io.tollgate.persistence.budget.Demand;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Drives {@link LeaseBook#admit} + {@link LeaseBook#settle} for one key from a number of callers
 * on a fixed pool, each call timed with {@code System.nanoTime}: admit until the admission is
 * available (at once when the key's lease covers it, else after the lease request), then settle.
 * The measured stretches of one case can be merged (the benchmark alternates its tenants).
 */
final class AdmissionLoop {
  private static final long ADMIT_TIMEOUT_SECONDS = 30;

  private final LeaseBook book;
  private final ExecutorService pool;
  private final Demand worstCase;
  private final Demand actual;

  AdmissionLoop(LeaseBook book, ExecutorService pool, Demand worstCase, Demand actual) {
    this.book = book;
    this.pool = pool;
    this.worstCase = worstCase;
    this.actual = actual;
  }

  /** What the callers of one stretch measured, in nanoseconds. */
  static final class Stretch {
    final long[] total;
    final long[] admit;
    final long[] settle;
    /** admit + settle of the calls that waited for a lease. */
    long[] waits = new long[16];
    int size;
    long errors;
    int waited;
    long wallNanos;
    long cpuNanos;

    Stretch(int capacity) {
      total = new long[capacity];
      admit = new long[capacity];
      settle = new long[capacity];
    }

    /** Appends {@code other} (which must fit). */
    void addAll(Stretch other) {
      System.arraycopy(other.total, 0, total, size, other.size);
      System.arraycopy(other.admit, 0, admit, size, other.size);
      System.arraycopy(other.settle, 0, settle, size, other.size);
      size += other.size;
      errors += other.errors;
      for (int i = 0; i < other.waited; i++) {
        addWait(other.waits[i]);
      }
      wallNanos += other.wallNanos;
      cpuNanos += other.cpuNanos;
    }

    void addWait(long nanos) {
      if (waited == waits.length) {
        waits = Arrays.copyOf(waits, waited * 2);
      }
      waits[waited++] = nanos;
    }

    CaseResult result(String tenant, int callers) {
      long calls = size;
      return new CaseResult(tenant, callers, calls, errors, waited, wallNanos / 1e9,
          calls == 0 ? Double.NaN : cpuNanos / 1000.0 / calls,
          Percentiles.of(total, size), Percentiles.of(admit, size), Percentiles.of(settle, size),
          Percentiles.of(waits, waited));
    }
  }

  /** {@code calls} admit + settle pairs for key {@code keyId} of {@code tenantId}, shared by {@code callers}. */
  Stretch run(String tenantId, String keyId, int callers, int calls) throws InterruptedException {
    int each = Math.max(1, calls / callers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Stretch>> futures = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      futures.add(pool.submit(() -> {
        start.await();
        return caller(tenantId, keyId, each);
      }));
    }
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    start.countDown();
    Stretch all = new Stretch(each * callers);
    for (Future<Stretch> f : futures) {
      try {
        all.addAll(f.get());
      } catch (ExecutionException e) {
        throw new IllegalStateException("a caller failed", e.getCause());
      }
    }
    all.wallNanos = System.nanoTime() - t0;
    all.cpuNanos = processCpuNanos() - cpu0;
    return all;
  }

  private Stretch caller(String tenantId, String keyId, int calls) throws InterruptedException {
    Stretch s = new Stretch(calls);
    for (int i = 0; i < calls; i++) {
      long t0 = System.nanoTime();
      CompletableFuture<Admission> f = book.admit(tenantId, keyId, null, worstCase).toCompletableFuture();
      boolean atOnce = f.isDone();
      Admission a;
      try {
        a = f.get(ADMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        s.errors++;
        continue;
      }
      long t1 = System.nanoTime();
      book.settle(a, actual);
      long t2 = System.nanoTime();
      if (!atOnce) {
        s.addWait(t2 - t0);
      }
      s.total[s.size] = t2 - t0;
      s.admit[s.size] = t1 - t0;
      s.settle[s.size] = t2 - t1;
      s.size++;
    }
    return s;
  }

  private static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }
}
