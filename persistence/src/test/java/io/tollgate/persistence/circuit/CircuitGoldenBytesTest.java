package io.tollgate.persistence.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.testing.GoldenBytes;
import java.io.IOException;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The circuit's events, snapshot state and wire messages are a frozen schema: old bytes must still load. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CircuitGoldenBytesTest {
  private static final String PREFIX = "io.tollgate.persistence.circuit.";

  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder()
      .withName("CircuitGoldenBytesTest")
      .withCustomConfig(ConfigFactory.parseString("""
              pekko.actor.serialization-bindings {
                "io.tollgate.persistence.CborSerializable" = jackson-cbor
              }
              """)
          .withFallback(EventSourcedBehaviorTestKit.config()))
      .build();

  /** golden file, manifest, and what it must load as. */
  static Stream<Arguments> writtenBy030() {
    return Stream.of(
        Arguments.of("Opened", "ProviderCircuit$Opened", CircuitGoldenSamples.OPENED),
        Arguments.of("Opened-forced", "ProviderCircuit$Opened", CircuitGoldenSamples.OPENED_FORCED),
        Arguments.of("Closed", "ProviderCircuit$Closed", CircuitGoldenSamples.CLOSED),
        Arguments.of("State", "ProviderCircuit$State", CircuitGoldenSamples.STATE),
        Arguments.of("State-closed", "ProviderCircuit$State", CircuitGoldenSamples.STATE_CLOSED),
        Arguments.of("OutcomeBatch", "OutcomeBatch", CircuitGoldenSamples.OUTCOME_BATCH),
        Arguments.of("CircuitState", "CircuitState", CircuitGoldenSamples.CIRCUIT_STATE),
        Arguments.of("CircuitState-initial", "CircuitState", CircuitGoldenSamples.CIRCUIT_STATE_INITIAL));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("writtenBy030")
  void written_by_0_3_0_still_loads(String file, String type, Object expected) throws IOException {
    assertThat(GoldenBytes.load(testKit.system(), "circuit", file, PREFIX + type)).isEqualTo(expected);
  }
}
