package io.tollgate.node.routing;

import io.tollgate.persistence.tenantadmin.TenantRouting;

/**
 * What the router needs to know about one request.
 *
 * @param strategy the strategy the caller chose (header, where the key may); null for the group's own
 * @param streaming whether the answer streams: least latency then compares time to first token
 * @param inputTokens estimated prompt tokens, for the lowest-cost strategy and provider TPM shares
 * @param maxOutputTokens the most output the request may produce, likewise
 * @param policy the tenant's routing policy; null for none (every deployment allowed)
 */
public record RoutingRequest(
    RoutingStrategy strategy, boolean streaming, long inputTokens, long maxOutputTokens, TenantRouting policy) {

  /** Tokens the request may use at most: what a provider TPM share is charged with. */
  public long worstCaseTokens() {
    return Math.max(0, inputTokens) + Math.max(0, maxOutputTokens);
  }
}
