package io.tollgate.persistence.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.testing.GoldenBytes;
import java.io.IOException;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The budget entity's events and snapshot state are a frozen schema: old bytes must still load. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantBudgetGoldenBytesTest {
  private static final String PREFIX = "io.tollgate.persistence.budget.TenantBudget$";

  @JUnit5TestKit
  ActorTestKit testKit =
      new JUnit5TestKitBuilder().withName("TenantBudgetGoldenBytesTest").withCustomConfig(BudgetKit.CONFIG).build();

  /** golden file, type, and what it must load as. */
  static Stream<Arguments> writtenBy020() {
    return Stream.of(
        Arguments.of("LimitsSet", "LimitsSet", BudgetGoldenSamples.LIMITS_SET),
        Arguments.of("LeaseGranted", "LeaseGranted", BudgetGoldenSamples.LEASE_GRANTED),
        Arguments.of("LeaseSettled", "LeaseSettled", BudgetGoldenSamples.LEASE_SETTLED),
        Arguments.of("LeaseSettled-close", "LeaseSettled", BudgetGoldenSamples.LEASE_CLOSED),
        Arguments.of("LeaseExpired", "LeaseExpired", BudgetGoldenSamples.LEASE_EXPIRED),
        Arguments.of("LeaseReconciled", "LeaseReconciled", BudgetGoldenSamples.LEASE_RECONCILED),
        Arguments.of("State", "State", BudgetGoldenSamples.STATE),
        Arguments.of("LeaseLateSettled", "LeaseLateSettled", BudgetGoldenSamples.LEASE_LATE_SETTLED),
        Arguments.of("WindowsMoved", "WindowsMoved", BudgetGoldenSamples.WINDOWS_MOVED),
        Arguments.of("State-tombstone", "State", BudgetGoldenSamples.STATE_WITH_TOMBSTONE),
        Arguments.of("OverdraftSettled", "OverdraftSettled", BudgetGoldenSamples.OVERDRAFT_SETTLED));
  }

  /** Events (a lease grant with its windows, a settlement that closes the lease) and the snapshot state. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("writtenBy020")
  void written_by_0_2_0_still_loads(String file, String type, Object expected) throws IOException {
    assertThat(GoldenBytes.load(testKit.system(), "budget", file, PREFIX + type)).isEqualTo(expected);
  }
}
