package io.tollgate.node.routing;

import io.tollgate.persistence.circuit.CircuitPhase;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/** The node's current view of every deployment's circuit, read by the router on each request. */
@FunctionalInterface
public interface CircuitPhases {
  /** Every circuit closed: for nodes and tests without a circuit view. */
  CircuitPhases ALL_CLOSED = deploymentId -> CircuitPhase.CLOSED;

  /** The phase of the deployment's circuit; {@link CircuitPhase#CLOSED} for one never heard of. */
  CircuitPhase phase(String deploymentId);

  /** When an open circuit's cool-down ends, if known; only read to explain a skipped deployment. */
  default Optional<Instant> openUntil(String deploymentId) {
    return Optional.empty();
  }

  /** A view that also says until when open circuits stay open, e.g. {@code of(book::phase, book::openUntil)}. */
  static CircuitPhases of(Function<String, CircuitPhase> phase, Function<String, Optional<Instant>> openUntil) {
    return new CircuitPhases() {
      @Override
      public CircuitPhase phase(String deploymentId) {
        return phase.apply(deploymentId);
      }

      @Override
      public Optional<Instant> openUntil(String deploymentId) {
        return openUntil.apply(deploymentId);
      }
    };
  }
}
