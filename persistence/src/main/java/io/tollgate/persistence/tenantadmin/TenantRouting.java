package io.tollgate.persistence.tenantadmin;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A tenant's routing policy.
 *
 * @param allowedDeployments per logical model, the deployment ids the tenant's calls may use; a model
 *     not named here may use all of its deployments
 * @param pinned per logical model, the one deployment the tenant's calls must use (no fallback)
 * @param strategyKeys key ids that may choose a strategy with the {@code x-tollgate-strategy} header;
 *     {@code "*"} allows every key of the tenant
 * @param updatedAt null while the tenant never set a policy
 */
public record TenantRouting(
    String tenantId,
    Map<String, List<String>> allowedDeployments,
    Map<String, String> pinned,
    List<String> strategyKeys,
    Instant updatedAt) {

  public TenantRouting {
    allowedDeployments = allowedDeployments == null ? Map.of() : Map.copyOf(allowedDeployments);
    pinned = pinned == null ? Map.of() : Map.copyOf(pinned);
    strategyKeys = strategyKeys == null ? List.of() : List.copyOf(strategyKeys);
  }

  /** The policy of a tenant that never set one: every deployment, no pins, no strategy header. */
  public static TenantRouting defaults(String tenantId) {
    return new TenantRouting(tenantId, Map.of(), Map.of(), List.of(), null);
  }

  /** Whether the tenant's calls to {@code model} may use deployment {@code deploymentId}. */
  public boolean allows(String model, String deploymentId) {
    String pin = pinned.get(model);
    if (pin != null) {
      return pin.equals(deploymentId);
    }
    List<String> allowed = allowedDeployments.get(model);
    return allowed == null || allowed.contains(deploymentId);
  }

  /** Whether key {@code keyId} may pick the strategy with a request header. */
  public boolean keyMayChooseStrategy(String keyId) {
    return strategyKeys.contains("*") || strategyKeys.contains(keyId);
  }
}
