package io.tollgate.persistence.circuit;

import io.tollgate.persistence.CborSerializable;
import java.time.Instant;

/**
 * One region's view of a deployment's circuit, as the {@link ProviderCircuit} entity replies and
 * publishes it. Crosses the wire: a frozen schema like the entity's events.
 *
 * @param phase the persisted phase, {@link CircuitPhase#CLOSED} or {@link CircuitPhase#OPEN};
 *     half-open is derived from time ({@link #phaseAt})
 * @param openUntil end of the cool-down; null when closed
 * @param reason why the last transition happened (a {@link CircuitReason} code, for a forced opening
 *     optionally followed by {@code ": "} and the admin's text); null before the first one
 * @param opens openings in a row since the circuit was last closed (1 on the first trip, +1 on each
 *     re-open from half-open); 0 when closed
 * @param changedAt when the last transition happened; null before the first one
 * @param version increases with every transition; a node ignores states older than the one it has
 */
public record CircuitState(
    String deploymentId,
    String region,
    CircuitPhase phase,
    Instant openUntil,
    String reason,
    int opens,
    Instant changedAt,
    long version)
    implements CborSerializable {

  /** A circuit nothing has happened to yet. */
  public static CircuitState initial(String deploymentId, String region) {
    return new CircuitState(deploymentId, region, CircuitPhase.CLOSED, null, null, 0, null, 0);
  }

  /** The phase at {@code now}: an open circuit whose cool-down has passed is half-open. */
  public CircuitPhase phaseAt(Instant now) {
    if (phase == CircuitPhase.CLOSED) {
      return CircuitPhase.CLOSED;
    }
    return openUntil != null && now.isBefore(openUntil) ? CircuitPhase.OPEN : CircuitPhase.HALF_OPEN;
  }
}
