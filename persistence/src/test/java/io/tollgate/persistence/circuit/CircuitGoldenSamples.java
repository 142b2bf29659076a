package io.tollgate.persistence.circuit;

import io.tollgate.persistence.circuit.ProviderCircuit.Closed;
import io.tollgate.persistence.circuit.ProviderCircuit.Opened;
import io.tollgate.persistence.circuit.ProviderCircuit.State;
import java.time.Instant;

/** The values the golden files under {@code golden/circuit/} were written from (0.3.0). */
final class CircuitGoldenSamples {
  static final Instant T1 = Instant.parse("2025-03-04T05:06:07.890Z");
  static final Instant T2 = Instant.parse("2025-03-04T05:06:17.890Z");

  static final Opened OPENED = new Opened(T1, T2, CircuitReason.ERROR_RATIO, 2, 12, 7);
  static final Opened OPENED_FORCED = new Opened(T1, T2, "forced: provider maintenance", 1, 0, 0);
  static final Closed CLOSED = new Closed(T2, CircuitReason.PROBES_SUCCEEDED);
  static final State STATE = new State(CircuitPhase.OPEN, T2, CircuitReason.RATE_LIMITED, 3, T1, 17);
  static final State STATE_CLOSED = new State(CircuitPhase.CLOSED, null, CircuitReason.FORCED, 0, T2, 18);
  static final OutcomeBatch OUTCOME_BATCH =
      new OutcomeBatch("azure-eu/gpt-4o|a", 40, 3, 1, 2_500, 5, 2, T1, T2, "pekko://tollgate@10.0.0.7:25520");
  static final CircuitState CIRCUIT_STATE =
      new CircuitState("azure-eu/gpt-4o|a", "eu-west", CircuitPhase.OPEN, T2, CircuitReason.LATENCY_SLO, 1, T1, 4);
  static final CircuitState CIRCUIT_STATE_INITIAL = CircuitState.initial("openai/gpt-4o-mini", "us-east");

  private CircuitGoldenSamples() {}
}
