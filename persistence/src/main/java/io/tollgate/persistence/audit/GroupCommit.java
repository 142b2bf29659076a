package io.tollgate.persistence.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: items submitted one by one are collected for up to {@code interval} or
 * {@code max-records} and handed to the {@link GroupWriter} together, a few groups at a time. With
 * an interval of zero a group is whatever arrived while the groups in flight were being written
 * (no added wait when Cassandra keeps up). Each
 * item's stage completes once that item is written. A failed item is submitted again after a
 * backoff (writes must be idempotent), up to {@code max-attempts} in all; only then its stage fails.
 * Nothing waits in a thread; at most {@code max-pending} items (retries included) are held.
 */
public final class GroupCommit<T> {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

  /** Writes one group; returns one stage per item, in the group's order. */
  @FunctionalInterface
  public interface GroupWriter<T> {
    List<CompletionStage<Done>> write(List<T> group);
  }

  private record Pending<T>(T item, CompletableFuture<Done> done, int attempt) {}

  private final ActorSystem<?> system;
  private final GroupCommitSettings settings;
  private final GroupWriter<T> writer;
  private final Function<T, String> describe;
  private final AtomicInteger pending = new AtomicInteger();
  private final CompletableFuture<Done> idle = new CompletableFuture<>();
  private volatile boolean closing;
  private BoundedSourceQueue<Pending<T>> queue;

  private GroupCommit(
      ActorSystem<?> system, GroupCommitSettings settings, GroupWriter<T> writer, Function<T, String> describe) {
    this.system = system;
    this.settings = settings;
    this.writer = writer;
    this.describe = describe;
  }

  /** Starts the writer; on shutdown it is drained once the node stopped taking requests. */
  public static <T> GroupCommit<T> start(
      ActorSystem<?> system, GroupCommitSettings settings, GroupWriter<T> writer, Function<T, String> describe) {
    GroupCommit<T> commit = new GroupCommit<>(system, settings, writer, describe);
    Source<Pending<T>, BoundedSourceQueue<Pending<T>>> items = Source.queue(settings.maxPending());
    commit.queue = (settings.interval().isZero()
            // Adaptive: a group is whatever arrived while the writes in flight were busy; no added wait.
            ? items.batch(settings.maxRecords(), GroupCommit::firstOf, GroupCommit::add)
            : items.groupedWithin(settings.maxRecords(), settings.interval()))
        .mapAsyncUnordered(settings.parallelism(), commit::writeGroup)
        .to(Sink.ignore())
        .run(system);
    CoordinatedShutdown.get(system).addTask(
        CoordinatedShutdown.PhaseServiceRequestsDone(), "tollgate-audit-group-commit-drain", commit::drain);
    return commit;
  }

  private static <T> List<T> firstOf(T item) {
    List<T> group = new ArrayList<>();
    group.add(item);
    return group;
  }

  private static <T> List<T> add(List<T> group, T item) {
    group.add(item);
    return group;
  }

  /** Completes when the item is written; fails when it was refused (too many pending) or given up on. */
  public CompletionStage<Done> submit(T item) {
    if (pending.incrementAndGet() > settings.maxPending()) {
      pending.decrementAndGet();
      log.error("{} refused: {} writes are pending", describe.apply(item), settings.maxPending());
      return CompletableFuture.failedFuture(new RejectedExecutionException("too many audit writes pending"));
    }
    CompletableFuture<Done> done = new CompletableFuture<>();
    offer(new Pending<>(item, done, 1));
    return done;
  }

  /** Items submitted and not yet written nor given up on. */
  public int pending() {
    return pending.get();
  }

  /** Completes when nothing is pending any more (items submitted later still get written). */
  public CompletionStage<Done> drain() {
    closing = true;
    if (pending.get() == 0) {
      idle.complete(Done.getInstance());
    }
    return idle;
  }

  private void offer(Pending<T> p) {
    if (queue.offer(p) != QueueOfferResult.enqueued()) {
      // Cannot happen while pending stays within the queue's size, unless the system is stopping.
      end(p, new RejectedExecutionException("the audit writer has stopped"));
    }
  }

  private CompletionStage<Done> writeGroup(List<Pending<T>> group) {
    List<T> items = new ArrayList<>(group.size());
    group.forEach(p -> items.add(p.item()));
    List<CompletionStage<Done>> results;
    try {
      results = writer.write(items);
    } catch (RuntimeException e) {
      results = items.stream().<CompletionStage<Done>>map(i -> CompletableFuture.failedFuture(e)).toList();
    }
    List<CompletableFuture<Done>> ended = new ArrayList<>(group.size());
    for (int i = 0; i < group.size(); i++) {
      Pending<T> p = group.get(i);
      ended.add(results.get(i).toCompletableFuture().handle((d, failure) -> {
        if (failure == null) {
          end(p, null);
        } else {
          retry(p, failure);
        }
        return Done.getInstance();
      }));
    }
    // The next groups wait for this one: a slow Cassandra slows the writer instead of piling up writes.
    return CompletableFuture.allOf(ended.toArray(CompletableFuture[]::new)).thenApply(v -> Done.getInstance());
  }

  private void retry(Pending<T> p, Throwable failure) {
    if (p.attempt() >= settings.maxAttempts()) {
      log.error("{} given up after {} attempts: {}", describe.apply(p.item()), p.attempt(), failure.toString());
      end(p, failure);
      return;
    }
    log.debug("{} failed (attempt {}), retrying: {}", describe.apply(p.item()), p.attempt(), failure.toString());
    system.scheduler().scheduleOnce(backoff(p.attempt()),
        () -> offer(new Pending<>(p.item(), p.done(), p.attempt() + 1)), system.executionContext());
  }

  private Duration backoff(int attempt) {
    long min = settings.minBackoff().toMillis();
    long capped = Math.min(settings.maxBackoff().toMillis(), min << Math.min(attempt - 1, 20));
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  private void end(Pending<T> p, Throwable failure) {
    if (pending.decrementAndGet() == 0 && closing) {
      idle.complete(Done.getInstance());
    }
    if (failure == null) {
      p.done().complete(Done.getInstance());
    } else {
      p.done().completeExceptionally(failure);
    }
  }
}
