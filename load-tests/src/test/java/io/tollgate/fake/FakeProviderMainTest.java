package io.tollgate.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FakeProviderMainTest {

  @Test
  void reads_port_key_and_behaviour_flags() {
    FakeProviderSettings s = FakeProviderMain.parse(new String[] {
        "--port", "18080", "--api-key", "demo", "--ttft-ms", "40", "--chunk-delay-ms", "15", "--chunks", "12"});

    assertThat(s.port()).isEqualTo(18080);
    assertThat(s.apiKey()).isEqualTo("demo");
    assertThat(s.behaviour().ttftMillis()).isEqualTo(40);
    assertThat(s.behaviour().chunkDelayMillis()).isEqualTo(15);
    assertThat(s.behaviour().chunks()).isEqualTo(12);
    assertThat(s.toString()).doesNotContain("demo");
  }

  @Test
  void reads_the_name_echoed_in_every_answer() {
    FakeProviderSettings s = FakeProviderMain.parse(new String[] {"--name", "eu-west"});

    assertThat(s.name()).isEqualTo("eu-west");
    assertThat(FakeProviderMain.parse(new String[0]).name()).isNull();
  }

  @Test
  void refuses_unknown_options() {
    assertThatThrownBy(() -> FakeProviderMain.parse(new String[] {"--colour", "blue"}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
