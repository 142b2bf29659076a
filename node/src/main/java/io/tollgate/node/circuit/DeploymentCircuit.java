package io.tollgate.node.circuit;

import io.tollgate.persistence.circuit.CircuitPhase;
import io.tollgate.persistence.circuit.CircuitState;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This node's view of one deployment's circuit: the newest state the entity sent, a local opening
 * that applies until the entity's answer arrives (a 429, a failed probe), the probe permits in use,
 * and the outcomes not reported yet. Reads are lock-free; writers synchronise briefly on the
 * object and never call out while holding it.
 */
final class DeploymentCircuit {
  final String deploymentId;
  final PendingOutcomes pending = new PendingOutcomes();

  private volatile CircuitState state;
  private volatile Instant localOpenUntil;
  private final AtomicInteger probes = new AtomicInteger();
  /** The phase last given to the metrics. */
  private final AtomicReference<CircuitPhase> shown = new AtomicReference<>(CircuitPhase.CLOSED);

  DeploymentCircuit(String deploymentId) {
    this.deploymentId = deploymentId;
  }

  CircuitPhase phaseAt(Instant now) {
    Instant local = localOpenUntil;
    if (local != null && now.isBefore(local)) {
      return CircuitPhase.OPEN;
    }
    CircuitState s = state;
    return s == null ? CircuitPhase.CLOSED : s.phaseAt(now);
  }

  /** The latest end of a cool-down still running at {@code now}, local or from the entity. */
  Optional<Instant> openUntil(Instant now) {
    Instant local = localOpenUntil;
    CircuitState s = state;
    Instant entity = s == null || s.phase() == CircuitPhase.CLOSED ? null : s.openUntil();
    Instant latest = null;
    if (local != null && now.isBefore(local)) {
      latest = local;
    }
    if (entity != null && now.isBefore(entity) && (latest == null || entity.isAfter(latest))) {
      latest = entity;
    }
    return Optional.ofNullable(latest);
  }

  /** The newest state from the entity; null until one arrived. */
  CircuitState state() {
    return state;
  }

  /** Openings in a row as the entity last said. */
  int opens() {
    CircuitState s = state;
    return s == null ? 0 : s.opens();
  }

  /**
   * Takes {@code incoming} if it is newer than what this view has. The entity has then seen what
   * made this node open locally (or decided otherwise), so the local opening is dropped; a closed
   * circuit also forgets the probe permits.
   */
  boolean accept(CircuitState incoming) {
    synchronized (this) {
      CircuitState current = state;
      if (current != null && incoming.version() <= current.version()) {
        return false;
      }
      state = incoming;
      localOpenUntil = null;
    }
    if (incoming.phase() == CircuitPhase.CLOSED) {
      probes.set(0);
    }
    return true;
  }

  /** Opens this node's view until {@code until} (never shortens a local opening). */
  void openLocally(Instant until) {
    synchronized (this) {
      Instant local = localOpenUntil;
      if (local == null || until.isAfter(local)) {
        localOpenUntil = until;
      }
    }
  }

  /** An admin closed the circuit: nothing local keeps it open. */
  void clearLocal() {
    synchronized (this) {
      localOpenUntil = null;
    }
    probes.set(0);
  }

  /** Takes a probe permit if fewer than {@code limit} are in use. */
  boolean tryProbe(int limit) {
    while (true) {
      int n = probes.get();
      if (n >= limit) {
        return false;
      }
      if (probes.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Gives back a probe permit if one is in use. */
  void releaseProbe() {
    probes.updateAndGet(n -> n > 0 ? n - 1 : 0);
  }

  /** Remembers {@code phase} as shown; true when it differs from what was shown before. */
  boolean show(CircuitPhase phase) {
    return shown.getAndSet(phase) != phase;
  }
}
