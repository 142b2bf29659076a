package io.tollgate.persistence.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Keeps a {@link KeyDirectory}'s view current (see there for the protocol). The registry's
 * snapshot is always the truth: when it arrives it replaces the view, and the updates received
 * while it was on its way are re-applied on top of it.
 */
final class KeyDirectoryActor extends AbstractBehavior<KeyDirectoryActor.Msg> {

  /** Local messages only: none of them leaves the node. */
  sealed interface Msg permits Fetch, Loaded, LoadFailed, Updated, Stop, ReadJournal, JournalRead, JournalReadFailed {}

  /** Load the snapshot now; {@code reason} goes to the debug log. */
  record Fetch(String reason) implements Msg {}

  record Loaded(RegistrySnapshot snapshot) implements Msg {}

  record LoadFailed(Throwable cause) implements Msg {}

  record Updated(RegistryUpdate update) implements Msg {}

  /** The node is shutting down: stop loading (the directory keeps its last view). */
  enum Stop implements Msg { INSTANCE }

  /** No view yet after {@code bootstrap-from-journal-after}: read one from the registry's journal. */
  enum ReadJournal implements Msg { INSTANCE }

  record JournalRead(RegistrySnapshot snapshot) implements Msg {}

  record JournalReadFailed(Throwable cause) implements Msg {}

  /** Updates kept while a snapshot is on its way; more than this and the next snapshot is needed anyway. */
  private static final int MAX_PENDING = 1_000;

  private final RecipientRef<KeyRegistry.Command> registry;
  private final KeyDirectorySettings settings;
  private final Consumer<KeyDirectory.View> sink;
  private final TimerScheduler<Msg> timers;

  private KeyDirectory.View view = KeyDirectory.View.EMPTY;
  private boolean fetching;
  private boolean refetchAfterLoad;
  private final List<RegistryUpdate> pending = new ArrayList<>();
  private Duration backoff;
  private int failuresInARow;
  private boolean readingJournal;

  static Behavior<Msg> create(
      RecipientRef<KeyRegistry.Command> registry, KeyDirectorySettings settings, Consumer<KeyDirectory.View> sink) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new KeyDirectoryActor(ctx, timers, registry, settings, sink)));
  }

  private KeyDirectoryActor(
      ActorContext<Msg> ctx,
      TimerScheduler<Msg> timers,
      RecipientRef<KeyRegistry.Command> registry,
      KeyDirectorySettings settings,
      Consumer<KeyDirectory.View> sink) {
    super(ctx);
    this.registry = registry;
    this.settings = settings;
    this.sink = sink;
    this.timers = timers;
    this.backoff = settings.minBackoff();

    ActorRef<Topic.Command<RegistryUpdate>> topic = settings.topicName().equals(KeyRegistry.TOPIC_NAME)
        ? RegistryTopic.get(ctx.getSystem())
        : ctx.spawn(Topic.create(RegistryUpdate.class, settings.topicName()), "registry-updates");
    topic.tell(Topic.subscribe(ctx.messageAdapter(RegistryUpdate.class, Updated::new)));

    timers.startTimerWithFixedDelay("refresh", new Fetch("refresh interval"), settings.refreshInterval());
    timers.startSingleTimer("catch-up", new Fetch("catch-up after subscribing"), settings.catchUpAfter());
    if (settings.bootstrapsFromJournal()) {
      timers.startSingleTimer("journal", ReadJournal.INSTANCE, settings.bootstrapFromJournalAfter());
    }
    fetch("start");
  }

  @Override
  public Receive<Msg> createReceive() {
    return newReceiveBuilder()
        .onMessage(Fetch.class, m -> fetch(m.reason()))
        .onMessage(Loaded.class, this::onLoaded)
        .onMessage(LoadFailed.class, this::onLoadFailed)
        .onMessage(Updated.class, m -> onUpdate(m.update()))
        .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
        .onMessageEquals(ReadJournal.INSTANCE, this::readJournal)
        .onMessage(JournalRead.class, this::onJournalRead)
        .onMessage(JournalReadFailed.class, this::onJournalReadFailed)
        .build();
  }

  private Behavior<Msg> fetch(String reason) {
    if (fetching) {
      return this;
    }
    getContext().getLog().debug("loading the key registry snapshot ({})", reason);
    fetching = true;
    getContext().ask(
        RegistrySnapshot.class,
        registry,
        settings.askTimeout(),
        KeyRegistry.GetSnapshot::new,
        (snapshot, failure) -> snapshot != null ? new Loaded(snapshot) : new LoadFailed(failure));
    return this;
  }

  private Behavior<Msg> onLoaded(Loaded m) {
    fetching = false;
    backoff = settings.minBackoff();
    if (failuresInARow > 0) {
      getContext().getLog().info("key registry snapshot loaded after {} failed attempts", failuresInARow);
      failuresInARow = 0;
    }
    RegistrySnapshot snapshot = m.snapshot();
    KeyDirectory.View next = new KeyDirectory.View(snapshot.version(), snapshot.keys());
    boolean gap = refetchAfterLoad;
    refetchAfterLoad = false;
    pending.sort(Comparator.comparingLong(RegistryUpdate::version));
    for (RegistryUpdate u : pending) {
      if (u.version() <= next.version()) {
        continue; // already in the snapshot
      }
      if (u.follows(next.version())) {
        next = applied(next, u);
      } else {
        gap = true;
      }
    }
    pending.clear();
    show(next);
    if (gap) {
      // Something newer than the snapshot was missed: load again, no faster than the backoff.
      timers.startSingleTimer("retry", new Fetch("update gap after snapshot"), backoff);
      backoff = nextBackoff();
    }
    return this;
  }

  private Behavior<Msg> onLoadFailed(LoadFailed m) {
    fetching = false;
    failuresInARow++;
    if (failuresInARow == 1 || failuresInARow % 10 == 0) {
      getContext().getLog().warn("could not load the key registry snapshot ({} attempts failed, last: {}); retrying in {} ms",
          failuresInARow, m.cause().toString(), backoff.toMillis());
    }
    timers.startSingleTimer("retry", new Fetch("retry"), backoff);
    backoff = nextBackoff();
    return this;
  }

  private Behavior<Msg> readJournal() {
    if (readingJournal || view.version() >= 0) {
      return this;
    }
    readingJournal = true;
    getContext().pipeToSelf(RegistryJournal.load(getContext().getSystem()),
        (snapshot, failure) -> snapshot != null ? new JournalRead(snapshot) : new JournalReadFailed(failure));
    return this;
  }

  /**
   * The registry did not answer in time, so its journal stands in: the directory becomes ready with
   * it, and keeps asking the registry, whose snapshot (or pushed updates) take over as usual.
   */
  private Behavior<Msg> onJournalRead(JournalRead m) {
    readingJournal = false;
    if (view.version() >= 0) {
      return this; // the registry answered meanwhile: its snapshot is the truth
    }
    RegistrySnapshot snapshot = m.snapshot();
    KeyDirectory.View next = new KeyDirectory.View(snapshot.version(), snapshot.keys());
    // Updates received meanwhile wait for the registry's snapshot; apply those that follow now too.
    List<RegistryUpdate> received = new ArrayList<>(pending);
    received.sort(Comparator.comparingLong(RegistryUpdate::version));
    for (RegistryUpdate u : received) {
      if (u.follows(next.version())) {
        next = applied(next, u);
      }
    }
    getContext().getLog().warn("the key registry did not answer within {} ms: key directory loaded from the "
            + "registry's journal ({} keys, version {}); still asking the registry",
        settings.bootstrapFromJournalAfter().toMillis(), next.keys().size(), next.version());
    show(next);
    return this;
  }

  private Behavior<Msg> onJournalReadFailed(JournalReadFailed m) {
    readingJournal = false;
    if (view.version() < 0) {
      getContext().getLog().warn("could not read the key registry's journal either ({}); trying again in {} ms",
          m.cause().toString(), settings.bootstrapFromJournalAfter().toMillis());
      timers.startSingleTimer("journal", ReadJournal.INSTANCE, settings.bootstrapFromJournalAfter());
    }
    return this;
  }

  private Behavior<Msg> onUpdate(RegistryUpdate u) {
    if (u.key() == null) {
      return this;
    }
    if (fetching) {
      if (pending.size() < MAX_PENDING) {
        pending.add(u);
      } else {
        refetchAfterLoad = true;
      }
      return this;
    }
    if (view.version() < 0 || u.version() <= view.version()) {
      return this; // not loaded yet (a load is scheduled), or already known
    }
    if (u.follows(view.version())) {
      show(applied(view, u));
      return this;
    }
    getContext().getLog().debug("key registry update {} does not follow known version {}; reloading",
        u.version(), view.version());
    pending.add(u);
    return fetch("update gap");
  }

  private static KeyDirectory.View applied(KeyDirectory.View view, RegistryUpdate u) {
    Map<String, KeyInfo> keys = new HashMap<>(view.keys());
    keys.put(u.key().keyHash(), u.key());
    return new KeyDirectory.View(u.version(), Map.copyOf(keys));
  }

  private void show(KeyDirectory.View next) {
    view = next;
    sink.accept(next);
  }

  private Duration nextBackoff() {
    Duration doubled = backoff.multipliedBy(2);
    return doubled.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : doubled;
  }
}
