package io.tollgate.persistence.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CircuitKeyTest {

  @Test
  void each_region_has_its_own_persistence_id_for_one_deployment() {
    String eu = ProviderCircuit.persistenceId(new CircuitKey("eu-west", "openai/gpt-4o")).id();
    String us = ProviderCircuit.persistenceId(new CircuitKey("us-east", "openai/gpt-4o")).id();

    assertThat(eu).isEqualTo("ProviderCircuit|eu-west:openai/gpt-4o");
    assertThat(us).isNotEqualTo(eu);
  }

  @Test
  void deployment_ids_with_separators_round_trip_through_the_entity_id() {
    CircuitKey key = new CircuitKey("eu-west", "odd|name%7C:with:colons");

    assertThat(key.entityId()).doesNotContain("|");
    assertThat(CircuitKey.parse(key.entityId())).isEqualTo(key);
    assertThat(ProviderCircuit.persistenceId(key).id()).startsWith("ProviderCircuit|eu-west:");
  }

  @Test
  void rejects_region_names_that_could_be_confused_with_the_separator() {
    assertThatThrownBy(() -> new CircuitKey("eu:west", "d")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CircuitKey("eu|west", "d")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CircuitKey("eu", " ")).isInstanceOf(IllegalArgumentException.class);
  }
}
