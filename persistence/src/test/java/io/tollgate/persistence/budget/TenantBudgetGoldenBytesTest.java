package io.tollgate.persistence.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The budget entity's events and snapshot state are a frozen schema: old bytes must still load. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantBudgetGoldenBytesTest {
  private static final int JACKSON_CBOR = 33;
  private static final String PREFIX = "io.tollgate.persistence.budget.TenantBudget$";

  @JUnit5TestKit
  ActorTestKit testKit =
      new JUnit5TestKitBuilder().withName("TenantBudgetGoldenBytesTest").withCustomConfig(BudgetKit.CONFIG).build();

  @Test
  void limits_set_written_by_0_2_0_still_loads() throws IOException {
    assertThat(load("LimitsSet", "LimitsSet")).isEqualTo(BudgetGoldenSamples.LIMITS_SET);
  }

  @Test
  void lease_granted_written_by_0_2_0_still_loads_with_its_windows() throws IOException {
    assertThat(load("LeaseGranted", "LeaseGranted")).isEqualTo(BudgetGoldenSamples.LEASE_GRANTED);
  }

  @Test
  void lease_settled_written_by_0_2_0_still_loads() throws IOException {
    assertThat(load("LeaseSettled", "LeaseSettled")).isEqualTo(BudgetGoldenSamples.LEASE_SETTLED);
    assertThat(load("LeaseSettled-close", "LeaseSettled")).isEqualTo(BudgetGoldenSamples.LEASE_CLOSED);
  }

  @Test
  void lease_expired_written_by_0_2_0_still_loads() throws IOException {
    assertThat(load("LeaseExpired", "LeaseExpired")).isEqualTo(BudgetGoldenSamples.LEASE_EXPIRED);
  }

  @Test
  void lease_reconciled_written_by_0_2_0_still_loads() throws IOException {
    assertThat(load("LeaseReconciled", "LeaseReconciled")).isEqualTo(BudgetGoldenSamples.LEASE_RECONCILED);
  }

  @Test
  void budget_snapshot_state_written_by_0_2_0_still_loads() throws IOException {
    assertThat(load("State", "State")).isEqualTo(BudgetGoldenSamples.STATE);
  }

  private Object load(String file, String type) throws IOException {
    byte[] bytes;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("golden/budget/" + file + ".cbor")) {
      assertThat(in).as("golden file for " + file).isNotNull();
      bytes = in.readAllBytes();
    }
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    return serialization.deserialize(bytes, JACKSON_CBOR, PREFIX + type).get();
  }
}
