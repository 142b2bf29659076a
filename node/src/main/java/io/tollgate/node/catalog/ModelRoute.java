package io.tollgate.node.catalog;

import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.usage.Price;

/**
 * One deployment that can serve a logical model: the provider account, the model name the provider
 * knows (for Azure, the deployment), the price per million tokens, where it runs and how the router
 * weighs it.
 *
 * @param deploymentId the circuit's name; deployments with the same id share one circuit
 * @param region the region the deployment runs in; empty for a global endpoint (local to every region)
 * @param weight share of traffic under the weighted strategy (relative to the group's other weights)
 * @param priority lower goes first under the priority strategy
 * @param providerTpm the provider's tokens-per-minute limit for this deployment; 0 for none known
 */
public record ModelRoute(
    String logicalModel,
    ProviderEndpoint endpoint,
    String upstreamModel,
    Price price,
    String deploymentId,
    String region,
    int weight,
    int priority,
    long providerTpm) {

  /** A lone deployment: global, weight 1, priority 1, no provider limit known. */
  public ModelRoute(String logicalModel, ProviderEndpoint endpoint, String upstreamModel, Price price) {
    this(logicalModel, endpoint, upstreamModel, price, defaultId(endpoint.name(), upstreamModel), "", 1, 1, 0);
  }

  /** The id a deployment gets when the configuration does not name it: provider and upstream model. */
  public static String defaultId(String provider, String upstreamModel) {
    return provider + "/" + upstreamModel;
  }

  /** Whether the deployment counts as local to {@code nodeRegion} (global endpoints are local everywhere). */
  public boolean localTo(String nodeRegion) {
    return region.isEmpty() || region.equals(nodeRegion);
  }
}
