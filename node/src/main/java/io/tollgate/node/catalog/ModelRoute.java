package io.tollgate.node.catalog;

import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.usage.Price;

/**
 * Where one logical model is served: the provider account, the model name the provider knows
 * (for Azure, the deployment) and the price per million tokens.
 */
public record ModelRoute(String logicalModel, ProviderEndpoint endpoint, String upstreamModel, Price price) {}
