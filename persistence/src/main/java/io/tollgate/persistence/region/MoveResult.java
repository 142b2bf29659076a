package io.tollgate.persistence.region;

/**
 * What a move did.
 *
 * @param home the tenant's home row now
 * @param from the region requests went to before
 * @param moved false when the tenant already lived in the requested region
 * @param fenced whether every old home's entity confirmed it stopped; false when a region did not
 *     answer within the fence timeout (dead or partitioned: see {@link HomeMover} on the risk)
 */
public record MoveResult(TenantHome home, String from, boolean moved, boolean fenced) {}
