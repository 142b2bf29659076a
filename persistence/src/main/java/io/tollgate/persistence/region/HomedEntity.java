package io.tollgate.persistence.region;

import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityContext;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * A sharded entity type whose entity (id = tenant id) runs only in the tenant's home region.
 *
 * @param key the entity type
 * @param commandClass its command type: everything else a guard receives is its own or the entity's internals
 * @param behavior the real entity
 * @param drainProbe a read-only command answering to the given ref; the entity handles it after
 *     every command before it (and after a persist in flight), so its answer means "drained"
 */
public record HomedEntity<C>(
    EntityTypeKey<C> key,
    Class<C> commandClass,
    Function<EntityContext<C>, Behavior<C>> behavior,
    Function<ActorRef<Object>, C> drainProbe) {}
