package io.tollgate.persistence.region;

import io.tollgate.persistence.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Sent by a move, through sharding, to the tenant's entity in its old home: it finishes what it
 * is doing, answers {@link FenceAck}, forwards everything after to {@code home} and passivates.
 * Starting the entity for it does no harm: the guard sees the new home and only forwards.
 */
public record FenceEntity(TenantHome home, ActorRef<FenceAck> replyTo) implements CborSerializable {}
