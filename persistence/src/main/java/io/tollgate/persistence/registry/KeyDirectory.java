package io.tollgate.persistence.registry;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.pattern.Patterns;

/**
 * This node's view of the API keys, for the request path. {@link #cached} is a lock-free memory
 * read that never asks an actor; {@link #lookup} reads a key the node has not seen (or has
 * forgotten) from Cassandra once, however many requests present it meanwhile.
 *
 * <p>Nothing is loaded at start: a new node is ready as soon as the key tables can be read, and
 * learns keys as they are presented. Creations and revocations reach it as single-key deltas
 * ({@link KeyChange}), pushed and read from the change log ({@link KeyChangeFeed}), so no message
 * ever holds more than one key.
 */
public final class KeyDirectory {
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private static final Duration READY_RETRY = Duration.ofSeconds(1);

  private final KeyCache cache;
  private final CompletionStage<Done> ready;

  KeyDirectory(KeyCache cache, CompletionStage<Done> ready) {
    this.cache = cache;
    this.ready = ready;
  }

  /** Starts the directory on this node with the {@code tollgate.registry} settings. */
  public static KeyDirectory start(ActorSystem<?> system, KeyStore store) {
    return start(system, store, KeyDirectorySettings.from(system.settings().config()));
  }

  static KeyDirectory start(ActorSystem<?> system, KeyStore store, KeyDirectorySettings settings) {
    KeyCache cache = new KeyCache(settings, store::byHash);
    String name = "tollgate-key-directory-" + INSTANCES.incrementAndGet();
    ActorRef<KeyChangeFeed.Msg> feed =
        system.systemActorOf(KeyChangeFeed.create(cache, store, settings), name, Props.empty());
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeClusterShutdown(), name, () -> {
      feed.tell(KeyChangeFeed.Stop.INSTANCE);
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    return new KeyDirectory(cache, readyEventually(system, store));
  }

  /** The store's readiness, asked again every second until Cassandra answers. */
  private static CompletionStage<Done> readyEventually(ActorSystem<?> system, KeyStore store) {
    return store.ready().exceptionallyCompose(notYet -> Patterns.after(READY_RETRY,
        system.classicSystem().scheduler(), system.executionContext(), () -> readyEventually(system, store)));
  }

  /** What memory holds for the hash (see {@link ApiKeys#sha256Hex}), or null: then ask {@link #lookup}. */
  public KeyLookup cached(String keyHash) {
    return cache.cached(keyHash);
  }

  /**
   * The key whose secret hashes to {@code keyHash}: from memory, else read from Cassandra. Fails
   * with {@link KeyDirectoryBusy} when too many reads are under way, or with the store's error.
   */
  public CompletionStage<KeyLookup> lookup(String keyHash) {
    return cache.lookup(keyHash);
  }

  /** Applies a change made on this node at once, before its push comes back. */
  void apply(KeyChange change) {
    cache.apply(change);
  }

  /** Completes once the key tables can be read. */
  public CompletionStage<Done> ready() {
    return ready;
  }

  /** Active keys in this node's memory (an estimate). */
  public long activeKeysInMemory() {
    return cache.activeKeys();
  }
}
