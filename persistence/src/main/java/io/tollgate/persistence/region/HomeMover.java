package io.tollgate.persistence.region;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a tenant's home region (the admin operation). The entity's persistence id has no region
 * in it, so the new home recovers the same journal: state, ledger and open leases come along.
 *
 * <p>Steps: write the new home unsettled (a conditional write on the version read, so two moves
 * cannot both win), tell every node, stop the entity in the old home ({@link FenceEntity}: it
 * finishes its queued commands and persists first), then settle the row and tell every node again.
 * The new home's entity starts only once the row is settled (or the fence timed out twice over), so
 * while the old region answers there are never two writers. When the old region is dead the fence
 * times out and the move goes on: a dead region writes nothing.
 *
 * <p>What remains: a region that is only cut off (partitioned, not dead) keeps its entity running,
 * and writing to its own Cassandra replicas, until it learns of the move (the notice, the periodic
 * re-read, or its next entity start); meanwhile the journal has two writers. Move a home away from
 * a region only when that region is down or fenced off from its clients, as with any cross-region
 * downing decision. Events the old region wrote just before it died reach the new region's
 * Cassandra replicas asynchronously; a recovery right after the move can miss them unless the
 * journal writes with a cross-region consistency (e.g. EACH_QUORUM). And with LOCAL_SERIAL (the
 * default) two moves started at the same moment in two partitioned regions can both win.
 */
public final class HomeMover {
  private static final Logger log = LoggerFactory.getLogger(HomeMover.class);

  /** Stops the tenant's homed entities in {@code region}; completes with whether they confirmed. */
  @FunctionalInterface
  public interface Fencer {
    CompletionStage<Boolean> fence(String tenantId, String region, TenantHome next);
  }

  private final RegionSettings settings;
  private final HomeStore store;
  private final Fencer fencer;
  private final Consumer<TenantHome> publisher;
  private final Clock clock;

  HomeMover(RegionSettings settings, HomeStore store, Fencer fencer, Consumer<TenantHome> publisher, Clock clock) {
    this.settings = settings;
    this.store = store;
    this.fencer = fencer;
    this.publisher = publisher;
    this.clock = clock;
  }

  /** The node's mover; the homed entity types must have been started ({@link RegionalSharding#initHomed}). */
  public static HomeMover create(ActorSystem<?> system) {
    TenantHomes homes = TenantHomes.get(system);
    return new HomeMover(homes.settings(), homes.store(), shardingFencer(system, homes), homes::publish,
        Clock.systemUTC());
  }

  /** The tenant's home as the store has it (the initial one when it was never moved). */
  public CompletionStage<TenantHome> read(String tenantId) {
    if (store == null) {
      return CompletableFuture.completedFuture(TenantHome.initial(tenantId, settings.defaultHome()));
    }
    return store.read(tenantId)
        .thenApply(row -> row.orElseGet(() -> TenantHome.initial(tenantId, settings.defaultHome())));
  }

  /**
   * Moves the tenant's home to {@code region}. Fails with IllegalArgumentException for a region
   * this cluster does not have, with IllegalStateException when another move got there first.
   */
  public CompletionStage<MoveResult> move(String tenantId, String region) {
    if (!settings.all().contains(region)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "unknown region '" + region + "'; this cluster has " + settings.all()));
    }
    return read(tenantId).thenCompose(current -> {
      String defaultHome = settings.defaultHome();
      String from = current.effectiveRegion(defaultHome);
      if (current.region().equals(region)) {
        if (current.settled()) {
          return CompletableFuture.completedFuture(new MoveResult(current, from, false, true));
        }
        // An earlier move to here stopped half-way: finish it.
        return fenceAndSettle(current, oldHomes(current, region));
      }
      TenantHome next = new TenantHome(tenantId, region, current.version() + 1,
          clock.instant().truncatedTo(ChronoUnit.MILLIS), from, false);
      return store.write(next, current.version()).thenCompose(written -> {
        if (!written) {
          throw new IllegalStateException(
              "the home of tenant " + tenantId + " changed meanwhile; read it and try again");
        }
        publisher.accept(next);
        return fenceAndSettle(next, oldHomes(current, region));
      });
    });
  }

  /** Every region the entity may still run in: where requests went, and where the row pointed. */
  private Set<String> oldHomes(TenantHome current, String to) {
    Set<String> regions = new LinkedHashSet<>();
    regions.add(current.effectiveRegion(settings.defaultHome()));
    regions.add(current.region());
    regions.remove(to);
    return regions;
  }

  private CompletionStage<MoveResult> fenceAndSettle(TenantHome next, Set<String> oldHomes) {
    List<CompletableFuture<Boolean>> fences = new ArrayList<>();
    for (String region : oldHomes) {
      fences.add(fencer.fence(next.tenantId(), region, next)
          .exceptionally(failure -> {
            log.warn("tenant {}: region {} did not confirm that it stopped the entity ({}); moving on",
                next.tenantId(), region, cause(failure).getClass().getSimpleName());
            return false;
          })
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(fences.toArray(CompletableFuture[]::new))
        .thenCompose(v -> store.settle(next.tenantId(), next.version()))
        .thenApply(settled -> {
          if (!settled) {
            throw new IllegalStateException(
                "the home of tenant " + next.tenantId() + " changed meanwhile; read it and try again");
          }
          TenantHome home = next.asSettled();
          publisher.accept(home);
          boolean fenced = fences.stream().allMatch(CompletableFuture::join);
          String from = next.movedFrom() == null ? settings.defaultHome() : next.movedFrom();
          log.info("tenant {}: home moved from {} to {} (version {}, old home confirmed: {})",
              next.tenantId(), from, home.region(), home.version(), fenced);
          return new MoveResult(home, from, true, fenced);
        });
  }

  private static Throwable cause(Throwable failure) {
    Throwable t = failure;
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Fences through sharding: a {@link FenceEntity} to each homed entity type in {@code region}. */
  private static Fencer shardingFencer(ActorSystem<?> system, TenantHomes homes) {
    Duration timeout = homes.settings().fenceTimeout();
    return (tenantId, region, next) -> {
      List<CompletableFuture<Boolean>> acks = new ArrayList<>();
      for (EntityTypeKey<?> key : homes.homedTypes()) {
        @SuppressWarnings("unchecked")
        RecipientRef<Object> entity = (RecipientRef<Object>) (RecipientRef<?>)
            ClusterSharding.get(system).entityRefFor(key, tenantId, region);
        CompletionStage<FenceAck> ack = AskPattern.ask(entity, replyTo -> new FenceEntity(next, replyTo), timeout,
            system.scheduler());
        acks.add(ack.thenApply(a -> true).toCompletableFuture());
      }
      return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
          .thenApply(v -> true);
    };
  }
}
