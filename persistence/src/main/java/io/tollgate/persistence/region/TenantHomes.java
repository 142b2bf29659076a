package io.tollgate.persistence.region;

import io.tollgate.persistence.audit.AuditSettings;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's view of where every tenant's budget lives (its home region), for routing without
 * asking anyone: {@link #homeOf} is one map read. With a single region every tenant is at home
 * here and nothing else happens (no table, no topic).
 *
 * <p>With several regions the view is fed three ways: the whole {@code tenant_home} table at start
 * and every {@code tollgate.regions.home-refresh}; the {@link TenantHome} notices a move publishes
 * on pub-sub topic {@value #TOPIC_NAME} (which spans regions), so every node switches within a
 * second; and the rows a {@link HomeGuard} reads when an entity starts. Until the first load
 * finished, tenants route to their default home and a guard forwards whatever went astray.
 */
public final class TenantHomes implements Extension {
  /** The pub-sub topic carrying {@link TenantHome} notices. */
  public static final String TOPIC_NAME = "tollgate-tenant-home";
  private static final Logger log = LoggerFactory.getLogger(TenantHomes.class);
  private static final Duration RETRY_LOAD = Duration.ofSeconds(2);

  private static final ExtensionId<TenantHomes> ID = new ExtensionId<>() {
    @Override
    public TenantHomes createExtension(ActorSystem<?> system) {
      RegionSettings settings = RegionSettings.from(system.settings().config());
      HomeStore store = settings.multiRegion()
          ? new CassandraHomeStore(system, AuditSettings.from(system.settings().config()), settings)
          : null;
      return new TenantHomes(system, settings, store);
    }
  };

  private final ActorSystem<?> system;
  private final RegionSettings settings;
  private final HomeStore store;
  private final HomeCache cache;
  private final CompletableFuture<Done> ready = new CompletableFuture<>();
  private final ConcurrentHashMap<String, Set<ActorRef<Object>>> guards = new ConcurrentHashMap<>();
  private final List<EntityTypeKey<?>> homedTypes = new CopyOnWriteArrayList<>();
  private final ActorRef<Topic.Command<TenantHome>> topic;

  private TenantHomes(ActorSystem<?> system, RegionSettings settings, HomeStore store) {
    this.system = system;
    this.settings = settings;
    this.store = store;
    this.cache = new HomeCache(settings.defaultHome());
    if (store == null) {
      this.topic = null;
      ready.complete(Done.getInstance());
      return;
    }
    this.topic = system.systemActorOf(Topic.create(TenantHome.class, TOPIC_NAME), "tollgate-tenant-home-topic",
        Props.empty());
    ActorRef<TenantHome> subscriber = system.systemActorOf(
        Behaviors.receive(TenantHome.class).onMessage(TenantHome.class, row -> {
          learn(row);
          return Behaviors.same();
        }).build(),
        "tollgate-tenant-home-subscriber", Props.empty());
    topic.tell(Topic.subscribe(subscriber));
    reload();
  }

  /** The node's instance (created, with its subscription and refresh, on first use). */
  public static TenantHomes get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  public RegionSettings settings() {
    return settings;
  }

  /** This node's region. */
  public String selfRegion() {
    return settings.self();
  }

  /** The region the tenant's requests go to now; never waits. */
  public String homeOf(String tenantId) {
    return cache.home(tenantId);
  }

  /** The newest home row known on this node (the initial one for a tenant never moved). */
  public TenantHome current(String tenantId) {
    return cache.current(tenantId);
  }

  /**
   * The tenant's row as the store has it, or what this node knows if that is newer (a notice can
   * be ahead of a replica); what this node knows when the store does not answer.
   */
  public CompletionStage<TenantHome> resolve(String tenantId) {
    if (store == null) {
      return CompletableFuture.completedFuture(cache.current(tenantId));
    }
    return store.read(tenantId)
        .handle((row, failure) -> {
          if (failure != null) {
            log.debug("reading the home of tenant {}: {}", tenantId, failure.getClass().getSimpleName());
            return cache.current(tenantId);
          }
          TenantHome newest = cache.newest(tenantId, row.orElse(null));
          learn(newest);
          return newest;
        });
  }

  /** Completes once the home table has been read once (at once with a single region). */
  public CompletionStage<Done> ready() {
    return ready;
  }

  /** The entity ref of {@code tenantId} in its home region (through a sharding proxy when that is elsewhere). */
  public <M> EntityRef<M> refFor(EntityTypeKey<M> key, String tenantId) {
    ClusterSharding sharding = ClusterSharding.get(system);
    if (!settings.multiRegion()) {
      return sharding.entityRefFor(key, tenantId);
    }
    return sharding.entityRefFor(key, tenantId, homeOf(tenantId));
  }

  /** Takes a newer row into the view and tells the guards of the tenant's entities here to look again. */
  public boolean learn(TenantHome row) {
    if (!cache.apply(row)) {
      return false;
    }
    Set<ActorRef<Object>> watching = guards.get(row.tenantId());
    if (watching != null) {
      watching.forEach(guard -> guard.tell(HomeGuard.CheckHome.INSTANCE));
    }
    return true;
  }

  /** Learns {@code row} and tells every node (all regions) about it. */
  public void publish(TenantHome row) {
    learn(row);
    if (topic != null) {
      topic.tell(Topic.publish(row));
    }
  }

  /** The durable store; null with a single region. */
  HomeStore store() {
    return store;
  }

  /** Entity types that run only in their tenant's home; a move stops them in the old home. */
  List<EntityTypeKey<?>> homedTypes() {
    return List.copyOf(homedTypes);
  }

  void registerHomed(EntityTypeKey<?> key) {
    if (!homedTypes.contains(key)) {
      homedTypes.add(key);
    }
  }

  void watch(String tenantId, ActorRef<Object> guard) {
    guards.computeIfAbsent(tenantId, id -> ConcurrentHashMap.newKeySet()).add(guard);
  }

  void unwatch(String tenantId, ActorRef<Object> guard) {
    guards.computeIfPresent(tenantId, (id, set) -> {
      set.remove(guard);
      return set.isEmpty() ? null : set;
    });
  }

  ActorSystem<?> system() {
    return system;
  }

  private void reload() {
    store.loadAll().whenComplete((rows, failure) -> {
      Duration next = settings.homeRefresh();
      if (failure != null) {
        log.debug("reading tenant homes: {}", failure.getClass().getSimpleName());
        next = RETRY_LOAD.compareTo(next) < 0 ? RETRY_LOAD : next;
      } else {
        rows.forEach(this::learn);
        ready.complete(Done.getInstance());
      }
      if (!system.getWhenTerminated().toCompletableFuture().isDone()) {
        try {
          system.scheduler().scheduleOnce(next, this::reload, system.executionContext());
        } catch (IllegalStateException shuttingDown) {
          // The scheduler stops with the actor system: nothing left to refresh.
        }
      }
    });
  }
}
