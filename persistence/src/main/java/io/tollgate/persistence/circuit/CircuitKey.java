package io.tollgate.persistence.circuit;

import java.util.regex.Pattern;

/**
 * Which circuit: a deployment as seen by one region. Its entity id is {@code region:deployment}
 * with {@code %} and {@code |} in the deployment escaped ({@code |} separates the parts of a
 * persistence id), so the persistence id {@code ProviderCircuit|region:deployment} differs per
 * region and two regions never write one journal.
 */
public record CircuitKey(String region, String deploymentId) {
  private static final Pattern REGION = Pattern.compile("[A-Za-z0-9._-]+");

  public CircuitKey {
    requireRegion(region);
    if (deploymentId == null || deploymentId.isBlank()) {
      throw new IllegalArgumentException("a circuit needs a deployment id");
    }
  }

  /** {@code region} if it is a valid region name (letters, digits, '.', '_', '-'). */
  public static String requireRegion(String region) {
    if (region == null || !REGION.matcher(region).matches()) {
      throw new IllegalArgumentException("a region name is letters, digits, '.', '_' or '-': " + region);
    }
    return region;
  }

  /** The sharding entity id. */
  public String entityId() {
    return region + ":" + deploymentId.replace("%", "%25").replace("|", "%7C");
  }

  /** The key an {@link #entityId()} was made from. */
  public static CircuitKey parse(String entityId) {
    int colon = entityId == null ? -1 : entityId.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("not a circuit entity id: " + entityId);
    }
    String deployment = entityId.substring(colon + 1).replace("%7C", "|").replace("%25", "%");
    return new CircuitKey(entityId.substring(0, colon), deployment);
  }
}
