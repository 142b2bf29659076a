package io.tollgate.node.http;

import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;

/**
 * The refusal of a call whose tenant's routing policy could not be read (Cassandra unreachable, a
 * row that cannot be decoded): the policy may pin the tenant to a region or forbid deployments, so
 * the call is not routed without it.
 */
final class RoutingPolicyUnavailable {
  static final GatewayException ERROR = new GatewayException(ErrorKind.UNAVAILABLE,
      "The routing policy of this tenant cannot be read right now; retry shortly.", null,
      "routing_policy_unavailable");

  private RoutingPolicyUnavailable() {}
}
