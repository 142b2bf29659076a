package io.tollgate.persistence.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Brings every key change to this node's {@link KeyCache}: pushed ones as they arrive, and all of
 * them from the change log ({@code api_key_changes}) every {@code catch-up.interval}, read from
 * where the last successful read started minus {@code catch-up.overlap}. Changes are idempotent,
 * so reading one twice costs nothing; the log read is what makes a missed push harmless.
 */
final class KeyChangeFeed extends AbstractBehavior<KeyChangeFeed.Msg> {

  /** Local messages only. */
  sealed interface Msg permits Pushed, Poll, Polled, PollFailed, Stop {}

  record Pushed(KeyChange change) implements Msg {}

  enum Poll implements Msg { INSTANCE }

  record Polled(Instant startedAt, List<KeyChange> changes) implements Msg {}

  record PollFailed(Throwable cause) implements Msg {}

  /** The node is shutting down. */
  enum Stop implements Msg { INSTANCE }

  private final KeyCache cache;
  private final KeyStore store;
  private final KeyDirectorySettings settings;
  /** Every change logged before this instant minus the overlap has been applied. */
  private Instant position;
  private boolean polling;
  private int failuresInARow;

  static Behavior<Msg> create(KeyCache cache, KeyStore store, KeyDirectorySettings settings) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay("catch-up", Poll.INSTANCE, settings.catchUpInterval());
      return new KeyChangeFeed(ctx, cache, store, settings);
    }));
  }

  private KeyChangeFeed(ActorContext<Msg> ctx, KeyCache cache, KeyStore store, KeyDirectorySettings settings) {
    super(ctx);
    this.cache = cache;
    this.store = store;
    this.settings = settings;
    // A new node has nothing cached, so nothing before its start can concern it.
    this.position = Instant.now();
    ActorRef<Topic.Command<KeyChange>> topic = settings.topicName().equals(RegistryTopic.TOPIC_NAME)
        ? RegistryTopic.get(ctx.getSystem())
        : ctx.spawn(Topic.create(KeyChange.class, settings.topicName()), "key-changes");
    topic.tell(Topic.subscribe(ctx.messageAdapter(KeyChange.class, Pushed::new)));
  }

  @Override
  public Receive<Msg> createReceive() {
    return newReceiveBuilder()
        .onMessage(Pushed.class, m -> {
          cache.apply(m.change());
          return this;
        })
        .onMessageEquals(Poll.INSTANCE, this::poll)
        .onMessage(Polled.class, this::onPolled)
        .onMessage(PollFailed.class, this::onPollFailed)
        .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
        .build();
  }

  private Behavior<Msg> poll() {
    if (polling) {
      return this;
    }
    Instant now = Instant.now();
    if (Duration.between(position, now).compareTo(settings.changeLogRetention()) > 0) {
      getContext().getLog().warn("the key change log was not read for {}; forgetting every cached key",
          Duration.between(position, now));
      cache.clear();
      position = now;
    }
    polling = true;
    getContext().pipeToSelf(read(position.minus(settings.catchUpOverlap()), now),
        (changes, failure) -> failure == null ? new Polled(now, changes) : new PollFailed(failure));
    return this;
  }

  private Behavior<Msg> onPolled(Polled m) {
    polling = false;
    m.changes().forEach(cache::apply);
    position = m.startedAt();
    if (failuresInARow > 0) {
      getContext().getLog().info("key change log read again after {} failed attempts", failuresInARow);
      failuresInARow = 0;
    }
    return this;
  }

  private Behavior<Msg> onPollFailed(PollFailed m) {
    polling = false;
    failuresInARow++;
    if (failuresInARow == 1 || failuresInARow % 20 == 0) {
      getContext().getLog().warn("could not read the key change log ({} attempts failed, last: {})",
          failuresInARow, m.cause().toString());
    }
    return this;
  }

  /** The changes logged after {@code from}, minute partition by minute partition up to {@code now}. */
  private CompletionStage<List<KeyChange>> read(Instant from, Instant now) {
    CompletionStage<List<KeyChange>> all = CompletableFuture.completedFuture(new ArrayList<>());
    for (long minute = KeyStore.minuteOf(from); minute <= KeyStore.minuteOf(now); minute++) {
      long m = minute;
      all = all.thenCompose(acc -> store.changes(m, from).thenApply(found -> {
        acc.addAll(found);
        return acc;
      }));
    }
    return all;
  }
}
