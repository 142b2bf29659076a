package io.tollgate.persistence.region;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * Sharding when regions are Pekko data centers: sharding runs per data center, so an entity type
 * started in every region would run the same persistence id once per region. The two placements
 * here prevent that: entities that live in their tenant's home region, and entity types that live
 * in one region only.
 */
public final class RegionalSharding {
  private RegionalSharding() {}

  /**
   * Starts {@code spec}'s entity type: hosted here behind a {@link HomeGuard}, plus a proxy to each
   * other region (reach an entity with {@link TenantHomes#refFor}). With a single region, plain
   * sharding without a guard.
   */
  public static <C> void initHomed(ActorSystem<?> system, HomedEntity<C> spec) {
    TenantHomes homes = TenantHomes.get(system);
    ClusterSharding sharding = ClusterSharding.get(system);
    if (!homes.settings().multiRegion()) {
      sharding.init(Entity.of(spec.key(), ctx -> spec.behavior().apply(ctx)));
      return;
    }
    homes.registerHomed(spec.key());
    sharding.init(Entity.of(spec.key(), ctx -> HomeGuard.create(spec, ctx, homes)));
    for (String other : homes.settings().others()) {
      sharding.init(Entity.of(spec.key(), ctx -> spec.behavior().apply(ctx)).withDataCenter(other));
    }
  }

  /**
   * Starts {@code entity}'s type so that its entities run only in {@code region}: hosted on nodes of
   * that region, a proxy to it on the others.
   */
  public static <C> void initIn(ActorSystem<?> system, String region, Entity<C, ShardingEnvelope<C>> entity) {
    TenantHomes homes = TenantHomes.get(system);
    ClusterSharding sharding = ClusterSharding.get(system);
    if (!homes.settings().multiRegion() || region.equals(homes.selfRegion())) {
      sharding.init(entity);
    } else {
      sharding.init(entity.withDataCenter(region));
    }
  }

  /** The entity in {@code region} (for a type started with {@link #initIn}). */
  public static <C> EntityRef<C> refIn(ActorSystem<?> system, String region, EntityTypeKey<C> key, String entityId) {
    ClusterSharding sharding = ClusterSharding.get(system);
    if (!TenantHomes.get(system).settings().multiRegion()) {
      return sharding.entityRefFor(key, entityId);
    }
    return sharding.entityRefFor(key, entityId, region);
  }
}
