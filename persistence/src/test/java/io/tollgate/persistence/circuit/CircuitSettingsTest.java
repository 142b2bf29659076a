package io.tollgate.persistence.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitSettingsTest {

  @Test
  void the_cool_down_doubles_with_each_reopen_up_to_the_cap() {
    CircuitSettings s = CircuitSettings.DEFAULTS;

    assertThat(s.coolDown(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.coolDown(2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.coolDown(4)).isEqualTo(Duration.ofSeconds(40));
    assertThat(s.coolDown(5)).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.coolDown(1_000)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void a_retry_after_is_honoured_exactly_up_to_its_cap() {
    CircuitSettings s = CircuitSettings.DEFAULTS;

    assertThat(s.rateLimitedCoolDown(2_000)).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.rateLimitedCoolDown(0)).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.rateLimitedCoolDown(Duration.ofHours(2).toMillis())).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void reads_overrides_and_keeps_defaults_for_the_rest() {
    CircuitSettings s = CircuitSettings.fromConfig(ConfigFactory.parseString("""
        tollgate.circuits { open-for = 300ms, probes-to-close = 3, error-ratio = 0.25 }
        """));

    assertThat(s.openFor()).isEqualTo(Duration.ofMillis(300));
    assertThat(s.probesToClose()).isEqualTo(3);
    assertThat(s.errorRatio()).isEqualTo(0.25);
    assertThat(s.window()).isEqualTo(CircuitSettings.DEFAULTS.window());
  }

  @Test
  void refuses_settings_that_could_never_close_or_trip() {
    assertThatThrownBy(() -> CircuitSettings.fromConfig(ConfigFactory.parseString(
        "tollgate.circuits.probes-to-close = 0"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CircuitSettings.fromConfig(ConfigFactory.parseString(
        "tollgate.circuits.error-ratio = 1.5"))).isInstanceOf(IllegalArgumentException.class);
  }
}
