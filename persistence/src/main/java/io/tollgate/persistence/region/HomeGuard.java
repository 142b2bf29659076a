package io.tollgate.persistence.region;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a {@link HomedEntity} so that it writes only in its tenant's home region, whatever sends
 * it messages. Sharding runs per region, so a node with a stale view of the homes could start the
 * entity in the wrong one; the guard starts first and decides:
 *
 * <ul>
 *   <li>It reads the tenant's home row ({@link TenantHomes#resolve}) and stashes messages meanwhile.
 *   <li>Home here: it becomes the real entity (which recovers from the journal). A move to here that
 *       has not settled yet (the old home's entity may still be writing) is waited for, at most
 *       twice the fence timeout.
 *   <li>Home elsewhere: it forwards every command there through the sharding proxy of that region.
 *   <li>Running, on a {@link FenceEntity} or when the node learns that the home moved away: it lets
 *       the entity finish what it queued (a read-only probe comes back after every command and
 *       persist before it), then forwards to the new home and passivates.
 * </ul>
 */
final class HomeGuard<C> {
  private static final Logger log = LoggerFactory.getLogger(HomeGuard.class);
  private static final int STASH_CAPACITY = 10_000;
  private static final Duration RETRY = Duration.ofMillis(250);

  /** The node's view of this tenant's home changed: look again. */
  enum CheckHome {
    INSTANCE
  }

  private enum Retry {
    INSTANCE
  }

  private enum Drained {
    INSTANCE
  }

  private record Resolved(TenantHome home, Throwable failure) {}

  private final HomedEntity<C> spec;
  private final EntityContext<C> entity;
  private final TenantHomes homes;
  private final ActorContext<Object> ctx;
  private final StashBuffer<Object> stash;
  private final String tenantId;
  private final String self;
  private final long startedNanos = System.nanoTime();
  private final long settleWaitNanos;

  private HomeGuard(HomedEntity<C> spec, EntityContext<C> entity, TenantHomes homes, ActorContext<Object> ctx,
      StashBuffer<Object> stash) {
    this.spec = spec;
    this.entity = entity;
    this.homes = homes;
    this.ctx = ctx;
    this.stash = stash;
    this.tenantId = entity.getEntityId();
    this.self = homes.selfRegion();
    this.settleWaitNanos = homes.settings().fenceTimeout().multipliedBy(2).toNanos();
  }

  /** The guarded entity of {@code entity}'s id. */
  @SuppressWarnings("unchecked")
  static <C> Behavior<C> create(HomedEntity<C> spec, EntityContext<C> entity, TenantHomes homes) {
    Behavior<Object> guard = Behaviors.withStash(STASH_CAPACITY,
        stash -> Behaviors.setup(ctx -> new HomeGuard<>(spec, entity, homes, ctx, stash).resolving()));
    // The guard also takes its own messages (fences, probes' answers); sharding only sends it C.
    return (Behavior<C>) (Behavior<?>) guard;
  }

  private Behavior<Object> resolving() {
    ctx.pipeToSelf(homes.resolve(tenantId), Resolved::new);
    return waiting();
  }

  private Behavior<Object> waiting() {
    return Behaviors.receive(Object.class)
        .onMessage(Resolved.class, this::onResolved)
        .onMessage(Retry.class, r -> resolving())
        .onMessage(CheckHome.class, c -> Behaviors.same())
        .onAnyMessage(this::stashIt)
        .build();
  }

  private Behavior<Object> onResolved(Resolved resolved) {
    TenantHome home = resolved.home() != null ? resolved.home() : homes.current(tenantId);
    if (!home.region().equals(self)) {
      return stash.unstashAll(forwarding());
    }
    if (!home.settled() && System.nanoTime() - startedNanos < settleWaitNanos) {
      // A move to here is under way: the old home's entity may still write.
      ctx.scheduleOnce(RETRY, ctx.getSelf(), Retry.INSTANCE);
      return waiting();
    }
    homes.watch(tenantId, ctx.getSelf());
    Behavior<Object> running = Behaviors.intercept(Running::new, spec.behavior().apply(entity));
    return stash.unstashAll(running);
  }

  private Behavior<Object> forwarding() {
    return Behaviors.receive(Object.class)
        .onMessage(FenceEntity.class, f -> {
          homes.learn(f.home());
          ack(f.replyTo(), false);
          return Behaviors.same();
        })
        .onMessage(CheckHome.class, c -> Behaviors.same())
        .onAnyMessage(message -> {
          if (!spec.commandClass().isInstance(message)) {
            return Behaviors.same();
          }
          String home = homes.current(tenantId).region();
          if (home.equals(self)) {
            // Moved (back) here since this guard looked.
            stashIt(message);
            return resolving();
          }
          forward(home, message);
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Object> stashIt(Object message) {
    if (stash.isFull()) {
      log.warn("tenant {}: {} messages wait for the home to be known; dropping one", tenantId, stash.size());
    } else {
      stash.stash(message);
    }
    return Behaviors.same();
  }

  @SuppressWarnings("unchecked")
  private void forward(String region, Object message) {
    ClusterSharding.get(ctx.getSystem()).entityRefFor(spec.key(), tenantId, region).tell((C) message);
  }

  private void ack(ActorRef<FenceAck> replyTo, boolean wasRunning) {
    if (replyTo != null) {
      TenantHome home = homes.current(tenantId);
      replyTo.tell(new FenceAck(tenantId, home.version(), wasRunning));
    }
  }

  /** Around the running entity: fences, and after one, forwarding. */
  private final class Running extends BehaviorInterceptor<Object, C> {
    private final List<ActorRef<FenceAck>> waitingForDrain = new ArrayList<>();
    private boolean draining;
    private String fencedTo;
    private String drainingTo;

    Running() {
      super(Object.class);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Behavior<C> aroundReceive(TypedActorContext<Object> context, Object message, ReceiveTarget<C> target) {
      if (message instanceof FenceEntity fence) {
        homes.learn(fence.home());
        if (fencedTo != null) {
          ack(fence.replyTo(), true);
        } else {
          if (fence.replyTo() != null) {
            waitingForDrain.add(fence.replyTo());
          }
          drain(fence.home().region());
        }
        return Behaviors.same();
      }
      if (message == CheckHome.INSTANCE) {
        String home = homes.current(tenantId).region();
        if (fencedTo == null && !home.equals(self)) {
          drain(home);
        }
        return Behaviors.same();
      }
      if (message == Drained.INSTANCE) {
        fencedTo = drainingTo;
        log.info("tenant {}: home moved to {}; this region's entity stopped writing", tenantId, fencedTo);
        waitingForDrain.forEach(replyTo -> ack(replyTo, true));
        waitingForDrain.clear();
        homes.unwatch(tenantId, ctx.getSelf());
        entity.getShard().tell(new ClusterSharding.Passivate<>(ctx.getSelf().<C>unsafeUpcast()));
        return Behaviors.same();
      }
      if (fencedTo != null && spec.commandClass().isInstance(message)) {
        forward(fencedTo, message);
        return Behaviors.same();
      }
      return target.apply(context, (C) message);
    }

    @Override
    public Behavior<C> aroundSignal(TypedActorContext<Object> context, Signal signal, SignalTarget<C> target) {
      if (signal instanceof PostStop) {
        homes.unwatch(tenantId, ctx.getSelf());
      }
      return target.apply(context, signal);
    }

    private void drain(String to) {
      if (draining) {
        return;
      }
      draining = true;
      drainingTo = to;
      ActorRef<Object> parent = ctx.getSelf();
      ActorRef<Object> probeReply = ctx.spawnAnonymous(Behaviors.receive(Object.class)
          .onAnyMessage(answer -> {
            parent.tell(Drained.INSTANCE);
            return Behaviors.stopped();
          })
          .build());
      parent.tell(spec.drainProbe().apply(probeReply));
    }
  }
}
