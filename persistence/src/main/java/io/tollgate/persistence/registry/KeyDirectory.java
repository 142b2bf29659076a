package io.tollgate.persistence.registry;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;

/**
 * This node's copy of the key registry, for the request path: {@link #lookup} is a lock-free O(1)
 * read of an immutable map and never asks an actor.
 *
 * <p>A {@link KeyDirectoryActor} keeps the copy current: it loads the registry's snapshot at start
 * (retrying with backoff until the registry answers), applies the {@link RegistryUpdate}s the
 * registry publishes through the node's {@link RegistryTopic} as they arrive (a revocation reaches
 * every node in milliseconds), and re-loads the snapshot: when an update shows it missed one; once
 * {@code tollgate.registry.catch-up-after} after subscribing (the registry's topic needs a gossip
 * round to discover a new node, and changes made in that window reach the node this way); and
 * every {@code tollgate.registry.refresh-interval} as a safety net.
 *
 * <p>If the registry has not answered within {@code tollgate.registry.bootstrap-from-journal-after}
 * (its region is down while this node starts), the first view is read from the registry's journal
 * instead ({@link RegistryJournal}), so the node can serve; the registry is still asked as above.
 */
public final class KeyDirectory {
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private volatile View view = View.EMPTY;
  private final CompletableFuture<Done> ready = new CompletableFuture<>();

  /** The keys by hash as of registry {@code version}. */
  record View(long version, Map<String, KeyInfo> keys) {
    static final View EMPTY = new View(-1, Map.of());
  }

  private KeyDirectory() {}

  /**
   * Starts the directory on this node; also starts sharding for {@link KeyRegistry} if that has
   * not happened yet.
   *
   * @param askTimeout the timeout of each snapshot request to the registry
   */
  public static KeyDirectory start(ActorSystem<?> system, Duration askTimeout) {
    return start(system, KeyDirectorySettings.from(system.settings().config(), askTimeout));
  }

  static KeyDirectory start(ActorSystem<?> system, KeyDirectorySettings settings) {
    KeyRegistry.init(system);
    KeyDirectory directory = new KeyDirectory();
    String name = "tollgate-key-directory-" + INSTANCES.incrementAndGet();
    ActorRef<KeyDirectoryActor.Msg> actor = system.systemActorOf(
        KeyDirectoryActor.create(KeyRegistry.ref(system), settings, directory::publish), name, Props.empty());
    // After the node has drained its requests: stop re-loading from a registry that is going away.
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeClusterShutdown(), name, () -> {
      actor.tell(KeyDirectoryActor.Stop.INSTANCE);
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    return directory;
  }

  /** The key whose secret hashes to {@code keyHash} (see {@link ApiKeys#sha256Hex}), revoked or not. */
  public Optional<KeyInfo> lookup(String keyHash) {
    return keyHash == null ? Optional.empty() : Optional.ofNullable(view.keys().get(keyHash));
  }

  /** Completes once the first snapshot has been loaded; until then every lookup is empty. */
  public CompletionStage<Done> ready() {
    return ready;
  }

  /** The registry version this node has applied; -1 before the first snapshot. */
  public long version() {
    return view.version();
  }

  /** Number of keys (active and revoked) known on this node. */
  public int size() {
    return view.keys().size();
  }

  private void publish(View next) {
    view = next;
    ready.complete(Done.getInstance());
  }
}
