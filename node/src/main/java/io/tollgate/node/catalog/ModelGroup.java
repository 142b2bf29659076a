package io.tollgate.node.catalog;

import io.tollgate.node.routing.RoutingStrategy;
import java.util.List;

/** A logical model and the deployments that can serve it, with the strategy that orders them by default. */
public record ModelGroup(String logicalModel, RoutingStrategy strategy, List<ModelRoute> deployments) {
  public ModelGroup {
    deployments = List.copyOf(deployments);
    if (deployments.isEmpty()) {
      throw new IllegalArgumentException("model group " + logicalModel + " has no deployments");
    }
  }
}
