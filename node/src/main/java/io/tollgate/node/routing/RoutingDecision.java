package io.tollgate.node.routing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.protocol.Json;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one request would go: the deployments to try, in order, the ones left out and why.
 *
 * @param strategy the strategy that ordered the candidates (the request's or the group's)
 * @param candidates the deployments to try, first to last; empty when every deployment was skipped
 * @param skipped the deployments left out, in the group's order, each with the reason
 * @param reasons parallel to {@code candidates}: why each is where it is (formatted when read)
 */
public record RoutingDecision(
    String logicalModel,
    RoutingStrategy strategy,
    List<ModelRoute> candidates,
    List<Skipped> skipped,
    List<String> reasons) {

  /** A deployment of the group that this request will not use. */
  public record Skipped(String deploymentId, String reason) {}

  public RoutingDecision {
    candidates = List.copyOf(candidates);
    skipped = List.copyOf(skipped);
    // Not copied: the router passes an immutable list that formats each reason only when it is read.
    Objects.requireNonNull(reasons, "reasons");
    if (reasons.size() != candidates.size()) {
      throw new IllegalArgumentException(
          "reasons (" + reasons.size() + ") must match candidates (" + candidates.size() + ")");
    }
  }

  /** The deployment to try first; empty when none may serve the request. */
  public Optional<ModelRoute> first() {
    return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(0));
  }

  /**
   * The decision as the admin dry-run shows it: {@code model}, {@code strategy} (wire name),
   * {@code candidates} (deployment, provider, upstream_model, region ("global" for a global
   * endpoint), reason) and {@code skipped} (deployment, reason). No credentials.
   */
  public ObjectNode toJson() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("model", logicalModel);
    root.put("strategy", strategy.wireName());
    ArrayNode list = root.putArray("candidates");
    for (int i = 0; i < candidates.size(); i++) {
      ModelRoute d = candidates.get(i);
      list.addObject()
          .put("deployment", d.deploymentId())
          .put("provider", d.endpoint().name())
          .put("upstream_model", d.upstreamModel())
          .put("region", d.region().isEmpty() ? "global" : d.region())
          .put("reason", reasons.get(i));
    }
    ArrayNode left = root.putArray("skipped");
    for (Skipped s : skipped) {
      left.addObject().put("deployment", s.deploymentId()).put("reason", s.reason());
    }
    return root;
  }
}
