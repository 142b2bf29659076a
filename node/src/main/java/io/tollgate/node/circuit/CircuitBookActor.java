package io.tollgate.node.circuit;

import io.tollgate.persistence.circuit.CircuitState;
import io.tollgate.persistence.circuit.CircuitTopic;
import io.tollgate.persistence.circuit.OutcomeBatch;
import io.tollgate.persistence.circuit.ProviderCircuit;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Keeps a {@link CircuitBook} current (see there): takes the states published on the region's
 * topic, and reports the book's outcome batches every {@code report-interval}. A report that fails
 * or times out is dropped (logged at debug): the next batch carries what happens next.
 */
final class CircuitBookActor extends AbstractBehavior<CircuitBookActor.Msg> {

  /** Local messages only: none of them leaves the node. */
  sealed interface Msg permits Flush, Published, Replied, ReportFailed, Stop {}

  enum Flush implements Msg { INSTANCE }

  record Published(CircuitState state) implements Msg {}

  record Replied(CircuitState state) implements Msg {}

  record ReportFailed(String deploymentId, Throwable cause) implements Msg {}

  /** The node is shutting down: stop reporting (the book keeps its last view). */
  enum Stop implements Msg { INSTANCE }

  private final CircuitBook book;

  static Behavior<Msg> create(CircuitBook book) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Flush.INSTANCE, book.settings().reportInterval());
      return new CircuitBookActor(ctx, book);
    }));
  }

  private CircuitBookActor(ActorContext<Msg> ctx, CircuitBook book) {
    super(ctx);
    this.book = book;
    CircuitTopic.get(ctx.getSystem(), book.region())
        .tell(Topic.subscribe(ctx.messageAdapter(CircuitState.class, Published::new)));
  }

  @Override
  public Receive<Msg> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Flush.INSTANCE, this::flush)
        .onMessage(Published.class, m -> taken(m.state()))
        .onMessage(Replied.class, m -> taken(m.state()))
        .onMessage(ReportFailed.class, this::onReportFailed)
        .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
        .build();
  }

  private Behavior<Msg> flush() {
    for (OutcomeBatch batch : book.drain()) {
      try {
        getContext().ask(
            CircuitState.class,
            ProviderCircuit.ref(book.system(), book.region(), batch.deploymentId()),
            book.settings().askTimeout(),
            replyTo -> new ProviderCircuit.Report(batch, replyTo),
            (state, failure) -> state != null ? new Replied(state) : new ReportFailed(batch.deploymentId(), failure));
      } catch (IllegalArgumentException e) {
        getContext().getLog().debug("outcomes of deployment [{}] not reported: {}", batch.deploymentId(), e.getMessage());
      }
    }
    return this;
  }

  private Behavior<Msg> taken(CircuitState state) {
    book.accept(state);
    return this;
  }

  private Behavior<Msg> onReportFailed(ReportFailed m) {
    getContext().getLog().debug("circuit report for deployment [{}] dropped: {}", m.deploymentId(), m.cause().toString());
    return this;
  }
}
