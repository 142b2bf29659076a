package io.tollgate.persistence.audit;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded queue in front of the {@link AuditStore}, so the request path never waits for
 * Cassandra: {@link #offer} returns at once, and up to {@code tollgate.audit.writer.parallelism}
 * writes run at a time. When the queue ({@code tollgate.audit.writer.queue-size}) is full the
 * record is dropped, counted and logged. On shutdown the queue is drained after the node has
 * stopped taking requests.
 */
public final class AuditWriter {
  private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);

  private final BoundedSourceQueue<AuditRecord> queue;
  private final CompletionStage<Done> drained;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicBoolean completed = new AtomicBoolean();

  private AuditWriter(BoundedSourceQueue<AuditRecord> queue, CompletionStage<Done> drained) {
    this.queue = queue;
    this.drained = drained;
  }

  /** Starts the writer with the {@code tollgate.audit.writer} settings. */
  public static AuditWriter start(ActorSystem<?> system, AuditStore store) {
    AuditSettings settings = AuditSettings.from(system.settings().config());
    return start(system, store, settings.queueSize(), settings.writeParallelism());
  }

  static AuditWriter start(ActorSystem<?> system, AuditStore store, int queueSize, int parallelism) {
    Pair<BoundedSourceQueue<AuditRecord>, CompletionStage<Done>> running =
        Source.<AuditRecord>queue(queueSize)
            // The store retries and logs a lost record itself; the stream must outlive any failure.
            .mapAsyncUnordered(parallelism, r -> store.write(r).handle((done, failure) -> Done.getInstance()))
            .toMat(Sink.ignore(), Keep.both())
            .run(system);
    AuditWriter writer = new AuditWriter(running.first(), running.second());
    CoordinatedShutdown.get(system)
        .addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "tollgate-audit-drain", writer::complete);
    return writer;
  }

  /** Queues the record for writing; false (and counted) when the queue is full or closed. */
  public boolean offer(AuditRecord r) {
    QueueOfferResult result = queue.offer(r);
    if (result == QueueOfferResult.enqueued()) {
      return true;
    }
    long n = dropped.incrementAndGet();
    if (n == 1 || n % 1000 == 0) {
      log.warn("audit record {} dropped: the audit queue is {} ({} dropped so far)",
          r.requestId(), result == QueueOfferResult.dropped() ? "full" : "closed", n);
    } else {
      log.debug("audit record {} dropped", r.requestId());
    }
    return false;
  }

  /** Records dropped because the queue was full or closed. */
  public long dropped() {
    return dropped.get();
  }

  /** Records waiting in the queue. */
  public int queued() {
    return queue.size();
  }

  /** Stops taking records; completes when every queued record has been written (or given up on). */
  public CompletionStage<Done> complete() {
    if (completed.compareAndSet(false, true)) {
      queue.complete();
    }
    return drained;
  }
}
