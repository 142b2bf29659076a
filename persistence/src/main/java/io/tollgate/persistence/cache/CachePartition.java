package io.tollgate.persistence.cache;

import io.tollgate.persistence.CborSerializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One partition of one tenant's response cache (cluster-sharded, not event-sourced; entity id
 * {@code <tenant>|<hash prefix>}). It fronts the partition's rows of table {@code cache_entries}
 * with a bounded hot set, and owns the partition's in-flight map: the first call for a key that
 * is not stored leads (calls the provider), identical calls that arrive meanwhile, on any node,
 * follow and are answered with the leader's result, or told to go ahead themselves when the
 * leader abandons or does not finish within {@code lead-timeout}. Cassandra is read and written
 * asynchronously; a read that fails or is slow answers {@link Unavailable} (the caller bypasses).
 */
public final class CachePartition extends AbstractBehavior<CachePartition.Command> {
  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "CachePartition");

  public sealed interface Command extends CborSerializable {}

  /** Look {@code keyHash} up; an entry older than {@code maxAgeMillis} counts as absent. */
  public record Lookup(String keyHash, long maxAgeMillis, ActorRef<Reply> replyTo) implements Command {}

  /** A follower waits for the leader of {@code keyHash}. */
  public record Await(String keyHash, ActorRef<Reply> replyTo) implements Command {}

  /** The leader's answer (or, with {@code leadId} null, a refreshed one): store it and answer the followers. */
  public record Complete(String keyHash, String leadId, CachedAnswer answer) implements Command {}

  /** The leader has no answer to store (failed, cut, not cacheable): its followers go ahead. */
  public record Abandon(String keyHash, String leadId) implements Command {}

  private record ReadDone(String keyHash, Optional<CachedAnswer> found, boolean failed) implements Command {}

  private record LeadExpired(String keyHash, String leadId) implements Command {}

  /** {@code error} null: written. */
  private record WriteDone(String keyHash, String error) implements Command {}

  public sealed interface Reply extends CborSerializable {}

  /** A stored answer, or the leader's. */
  public record Hit(CachedAnswer answer) implements Reply {}

  /** Not stored: the caller leads (calls the provider, then {@link Complete} or {@link Abandon} with this id). */
  public record Lead(String leadId) implements Reply {}

  /** An identical call is being answered: {@link Await} its result. */
  public enum Follow implements Reply { INSTANCE }

  /** No answer is coming (the leader abandoned or timed out): call the provider yourself. */
  public enum GoAhead implements Reply { INSTANCE }

  /** The cache's storage did not answer: bypass the cache. */
  public enum Unavailable implements Reply { INSTANCE }

  /** A key in flight: its leader (null while Cassandra is being read) and the callers waiting. */
  private static final class InFlight {
    ActorRef<Reply> reader;
    String leadId;
    final List<ActorRef<Reply>> waiters = new ArrayList<>();
  }


  private final String tenantId;
  private final String partition;
  private final CacheStore store;
  private final CacheSettings settings;
  private final TimerScheduler<Command> timers;
  private final LinkedHashMap<String, CachedAnswer> hot = new LinkedHashMap<>(16, 0.75f, true);
  private long hotBytes;
  private final Map<String, InFlight> inFlight = new HashMap<>();

  private CachePartition(ActorContext<Command> ctx, TimerScheduler<Command> timers, String entityId, CacheStore store,
      CacheSettings settings) {
    super(ctx);
    int bar = entityId.lastIndexOf('|');
    this.tenantId = entityId.substring(0, Math.max(0, bar));
    this.partition = entityId.substring(bar + 1);
    this.store = store;
    this.settings = settings;
    this.timers = timers;
  }

  public static void init(ActorSystem<?> system, CacheStore store, CacheSettings settings) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), store, settings)));
  }

  public static Behavior<Command> create(String entityId, CacheStore store, CacheSettings settings) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new CachePartition(ctx, timers, entityId, store, settings)));
  }

  /** The entity id of a tenant's partition. */
  public static String entityId(String tenantId, String partition) {
    return tenantId + "|" + partition;
  }

  public static EntityRef<Command> ref(ActorSystem<?> system, String tenantId, String partition) {
    return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, entityId(tenantId, partition));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Lookup.class, this::onLookup)
        .onMessage(Await.class, this::onAwait)
        .onMessage(Complete.class, this::onComplete)
        .onMessage(Abandon.class, a -> release(a.keyHash(), a.leadId()))
        .onMessage(LeadExpired.class, e -> release(e.keyHash(), e.leadId()))
        .onMessage(ReadDone.class, this::onReadDone)
        .onMessage(WriteDone.class, this::onWriteDone)
        .build();
  }

  private Behavior<Command> onLookup(Lookup l) {
    Optional<CachedAnswer> fresh = hot(l.keyHash(), l.maxAgeMillis());
    if (fresh.isPresent()) {
      l.replyTo().tell(new Hit(fresh.get()));
      return this;
    }
    if (inFlight.containsKey(l.keyHash())) {
      l.replyTo().tell(Follow.INSTANCE);
      return this;
    }
    InFlight f = new InFlight();
    f.reader = l.replyTo();
    inFlight.put(l.keyHash(), f);
    long maxAge = l.maxAgeMillis();
    getContext().pipeToSelf(
        store.read(tenantId, partition, l.keyHash()).toCompletableFuture()
            .orTimeout(settings.storeTimeout().toMillis(), TimeUnit.MILLISECONDS),
        (found, failure) -> failure != null
            ? new ReadDone(l.keyHash(), Optional.empty(), true)
            : new ReadDone(l.keyHash(), found.filter(a -> a.ageMillis(now()) <= maxAge), false));
    return this;
  }

  private Behavior<Command> onReadDone(ReadDone r) {
    InFlight f = inFlight.get(r.keyHash());
    if (f == null || f.reader == null) {
      return this;
    }
    if (r.failed()) {
      getContext().getLog().warn("cache partition {} could not read Cassandra in time: bypassing", partition);
      inFlight.remove(r.keyHash());
      f.reader.tell(Unavailable.INSTANCE);
      f.waiters.forEach(w -> w.tell(GoAhead.INSTANCE));
      return this;
    }
    if (r.found().isPresent()) {
      inFlight.remove(r.keyHash());
      CachedAnswer a = r.found().get();
      remember(r.keyHash(), a);
      f.reader.tell(new Hit(a));
      f.waiters.forEach(w -> w.tell(new Hit(a)));
      return this;
    }
    f.leadId = UUID.randomUUID().toString();
    f.reader.tell(new Lead(f.leadId));
    f.reader = null;
    timers.startSingleTimer(r.keyHash(), new LeadExpired(r.keyHash(), f.leadId), settings.leadTimeout());
    return this;
  }

  private Behavior<Command> onAwait(Await a) {
    InFlight f = inFlight.get(a.keyHash());
    if (f != null) {
      f.waiters.add(a.replyTo());
      return this;
    }
    Optional<CachedAnswer> fresh = hot(a.keyHash(), Long.MAX_VALUE);
    a.replyTo().tell(fresh.<Reply>map(Hit::new).orElse(GoAhead.INSTANCE));
    return this;
  }

  private Behavior<Command> onComplete(Complete c) {
    InFlight f = inFlight.get(c.keyHash());
    if (f != null && c.leadId() != null && c.leadId().equals(f.leadId)) {
      inFlight.remove(c.keyHash());
      timers.cancel(c.keyHash());
      f.waiters.forEach(w -> w.tell(new Hit(c.answer())));
    }
    remember(c.keyHash(), c.answer());
    String key = c.keyHash();
    getContext().pipeToSelf(
        store.write(tenantId, partition, key, c.answer()).toCompletableFuture()
            .orTimeout(Math.max(1000, settings.storeTimeout().toMillis() * 5), TimeUnit.MILLISECONDS),
        (done, failure) -> new WriteDone(key, failure == null ? null : failure.getClass().getSimpleName()));
    return this;
  }

  private Behavior<Command> onWriteDone(WriteDone w) {
    if (w.error() != null) {
      getContext().getLog().warn("cache partition {} could not store an answer: {}", partition, w.error());
    }
    return this;
  }

  private Behavior<Command> release(String keyHash, String leadId) {
    InFlight f = inFlight.get(keyHash);
    if (f != null && f.leadId != null && f.leadId.equals(leadId)) {
      inFlight.remove(keyHash);
      timers.cancel(keyHash);
      f.waiters.forEach(w -> w.tell(GoAhead.INSTANCE));
    }
    return this;
  }

  private Optional<CachedAnswer> hot(String keyHash, long maxAgeMillis) {
    CachedAnswer a = hot.get(keyHash);
    if (a == null) {
      return Optional.empty();
    }
    long now = now();
    if (now >= a.expiresAtMillis()) {
      forget(keyHash);
      return Optional.empty();
    }
    return a.ageMillis(now) <= maxAgeMillis ? Optional.of(a) : Optional.empty();
  }

  private void remember(String keyHash, CachedAnswer a) {
    forget(keyHash);
    hot.put(keyHash, a);
    hotBytes += a.answer().length;
    Iterator<Map.Entry<String, CachedAnswer>> eldest = hot.entrySet().iterator();
    while ((hot.size() > settings.hotMaxEntries() || hotBytes > settings.hotMaxBytes()) && eldest.hasNext()) {
      hotBytes -= eldest.next().getValue().answer().length;
      eldest.remove();
    }
  }

  private void forget(String keyHash) {
    CachedAnswer old = hot.remove(keyHash);
    if (old != null) {
      hotBytes -= old.answer().length;
    }
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
